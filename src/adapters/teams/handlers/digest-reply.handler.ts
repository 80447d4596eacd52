// A reply in the thread of a digest we posted (conversation id `…;messageid=<digest activity id>`)
// that is not a command is saved as a learning by its author, quietly: the thread gets no answer.
// Teams re-sending the same activity is harmless: the learning is keyed by `teams:<activity id>`.
import type { TurnContext } from 'botbuilder';
import { baseConversationId } from '../chat-port.ts';
import type { TeamsHandlerDeps } from '../teams-deps.ts';

const ROOT = ';messageid=';

/** True when the message was a digest reply and is now a learning (nothing else should run). */
export async function captureDigestReply(deps: TeamsHandlerDeps, context: TurnContext, text: string): Promise<boolean> {
  const { activity } = context;
  const conversationId = activity.conversation?.id ?? '';
  const at = conversationId.indexOf(ROOT);
  const rootId = at === -1 ? '' : conversationId.slice(at + ROOT.length);
  if (!rootId || !activity.id || !text.trim() || !deps.extras.learned) return false;
  const channel = baseConversationId(conversationId);
  const post = await deps.chatPosts.findByMessage('teams', channel, rootId);
  if (post?.purpose !== 'digest' || post.workspaceId !== deps.workspaceId) return false;
  const actor = await deps.resolveActor(context);
  // `learned` stores it (with an optional trailing [customer]); its thank-you is not sent.
  await deps.extras.learned({ workspaceId: deps.workspaceId, platform: 'teams', channel, actor }, text, `teams:${activity.id}`);
  return true;
}
