// `/cx learned <text>`, `/cx digest …` and `/cx connect <alias>`: the team-facing subcommands.
import { parseLearnedArgs } from '../../../../core/digest/learned-args.ts';
import type { ChatCommand } from '../../../../core/commands/chat-command.ts';
import { plain } from '../../../../core/messages/markup.ts';
import { createChannelsRepo } from '../../../../db/repos/channels.repo.ts';
import type { Actor, SlackDeps } from '../../context.ts';
import type { CommandIo } from './command-kit.ts';

const notHere = (what: string) => `${what} is not available on this server yet.`;

export async function answerLearned(deps: SlackDeps, io: CommandIo, actor: Actor, text: string): Promise<void> {
  if (!deps.learnings) {
    await io.reply(notHere('Sharing learnings'));
    return;
  }
  const parsed = parseLearnedArgs(text);
  if ('error' in parsed) {
    await io.reply({ text: parsed.error, blocks: [{ type: 'section', text: parsed.error }] });
    return;
  }
  const result = await deps.learnings.shareLearning(actor.workspaceId, {
    authorId: actor.person.id,
    text: parsed.text,
    customerQuery: parsed.customerQuery ?? null,
    platform: 'slack',
  });
  const about = result.customer?.name ? ` (about ${result.customer.name})` : '';
  const missing = result.customerNotFound ? ` I couldn't find the customer “${parsed.customerQuery}”, so it is saved without one.` : '';
  await io.reply(`Thanks for sharing${about}! It will be in the next customer-first digest.${missing}`);
}

type DigestCommand = Extract<ChatCommand, { kind: 'digest' | 'digest.schedule' | 'digest.list' | 'digest.off' }>;

export async function answerDigest(deps: SlackDeps, io: CommandIo, actor: Actor, cmd: DigestCommand): Promise<void> {
  const digest = deps.digest;
  if (!digest) {
    await io.reply(notHere('The digest'));
    return;
  }
  const target = { platform: 'slack' as const, channel: io.channel.id };
  switch (cmd.kind) {
    case 'digest':
      await digest.digestNow(actor.workspaceId, target, actor.person);
      deps.notifyDelivery();
      await io.reply('The customer-first digest is on its way to this channel.');
      return;
    case 'digest.schedule': {
      const result = await digest.schedule(actor.workspaceId, {
        ...target,
        cron: cmd.cron,
        timezone: cmd.timezone ?? actor.tz ?? deps.timezone,
        createdById: actor.person.id,
      });
      if (!result.ok) {
        await io.reply(result.message);
        return;
      }
      await io.replyPublic(
        result.message ?? {
          text: 'Digest scheduled',
          blocks: [{ type: 'section', text: `The customer-first digest will be posted here on \`${plain(cmd.cron)}\`.` }],
        },
      );
      return;
    }
    case 'digest.list':
      await io.reply(await digest.list(actor.workspaceId));
      return;
    case 'digest.off': {
      const { removed } = await digest.off(actor.workspaceId, target);
      await io.reply(removed ? 'No more scheduled digests in this channel.' : 'This channel had no scheduled digest.');
      return;
    }
  }
}

export async function answerConnect(deps: SlackDeps, io: CommandIo, actor: Actor, alias: string): Promise<void> {
  await deps.db.transaction((tx) =>
    createChannelsRepo(tx).connect(actor.workspaceId, {
      platform: 'slack',
      externalId: io.channel.id,
      name: io.channel.name,
      alias,
    }),
  );
  await io.reply({
    text: `This channel is now the destination “${alias}”.`,
    blocks: [
      {
        type: 'section',
        text: `This channel is now the destination *${plain(alias)}*: routing rules can send feedback cards here. Invite me with \`/invite @customer-first\` if I am not in it yet.`,
      },
    ],
  });
}
