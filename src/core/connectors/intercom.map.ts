// Intercom `conversation.rating.added` notification → CSAT (the rating is already 1–5, the remark
// is the comment). The external id is the conversation id with the rating, so a redelivery is a
// duplicate and a changed rating is a new item. Other topics (the `ping` sent when the webhook is
// saved, anything else subscribed to) are answered 200 and ignored: Intercom pauses webhooks that
// keep failing, so refusing them would cut off the ratings too.
import { clip, compact, customerOf, dateOf, ignored, int, LIMITS, list, type MapRequest, type MapResult, obj, str, unmappable } from './map-kit.ts';

export const INTERCOM_RATING_TOPIC = 'conversation.rating.added';

export function mapIntercom({ body }: MapRequest): MapResult {
  const note = obj(body);
  const topic = str(note?.topic);
  if (!note || str(note.type) !== 'notification_event') return unmappable('type "notification_event" (an Intercom webhook notification)');
  if (topic === 'ping') return ignored('Intercom ping: the webhook is reachable');
  if (topic !== INTERCOM_RATING_TOPIC) return ignored(`topic ${topic ?? '(none)'} is not a conversation rating (subscribe to ${INTERCOM_RATING_TOPIC} only)`);
  const item = obj(obj(note.data)?.item);
  const rating = obj(item?.conversation_rating);
  const conversationId = str(item?.id);
  const score = int(rating?.rating);
  const missing: string[] = [];
  if (!conversationId) missing.push('data.item.id (the conversation id)');
  if (!rating) missing.push('data.item.conversation_rating');
  else if (score === null || score < 1 || score > 5) missing.push(`data.item.conversation_rating.rating from 1 to 5 (got ${JSON.stringify(rating.rating ?? null)})`);
  if (missing.length || !conversationId || score === null) return unmappable(...missing);

  const author = obj(obj(item?.source)?.author) ?? {};
  const ratedBy = obj(rating?.contact) ?? obj(list(obj(item?.contacts)?.contacts)[0]) ?? {};
  const authorIsContact = ['user', 'lead', 'contact'].includes(str(author.type) ?? '');
  const source = obj(item?.source) ?? {};
  return {
    status: 'mapped',
    input: {
      source: 'intercom',
      externalId: clip(`${conversationId}:${score}`, LIMITS.id)!,
      kind: 'csat',
      score,
      comment: clip(str(rating?.remark), LIMITS.comment),
      touchpoint: clip(str(item?.title) ?? str(source.subject) ?? 'Intercom conversation', LIMITS.touchpoint),
      tags: [],
      receivedAt: dateOf(rating?.updated_at) ?? dateOf(rating?.created_at) ?? dateOf(note.created_at),
      customer: customerOf({
        externalId: str(ratedBy.external_id) ?? str(ratedBy.id) ?? (authorIsContact ? str(author.id) : null),
        email: authorIsContact ? str(author.email) : null,
        name: authorIsContact ? str(author.name) : null,
        attributes: compact({ intercom_contact_id: str(ratedBy.id) ?? undefined }),
      }),
      metadata: {
        intercom: compact({
          notification_id: note.id,
          app_id: note.app_id,
          conversation_id: conversationId,
          teammate: rating?.teammate,
          team_assignee_id: item?.team_assignee_id,
          admin_assignee_id: item?.admin_assignee_id,
          rating_created_at: rating?.created_at,
          source_url: source.url,
        }),
      },
    },
  };
}
