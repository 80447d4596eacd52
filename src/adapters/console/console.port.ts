// A ChatPort that prints messages as readable text on stdout, so `npm start` visibly works with
// no Slack or Teams configured. Message ids are random (they must stay unique across restarts:
// chat_posts is unique on platform, channel and message id).
import { randomUUID } from 'node:crypto';
import type { ChatPort, PostRef } from '../../core/ports.ts';
import { stripMarkup } from '../../core/messages/markup.ts';
import type { Block, Message } from '../../core/messages/model.ts';

export type ConsolePortOptions = {
  /** Where the text goes; defaults to process.stdout. */
  write?: (text: string) => void;
  newId?: () => string;
  width?: number;
};

export function createConsolePort(opts: ConsolePortOptions = {}): ChatPort {
  const write = opts.write ?? ((text: string) => process.stdout.write(text));
  const newId = opts.newId ?? (() => `console-${randomUUID().slice(0, 12)}`);
  const width = opts.width ?? 72;

  function print(title: string, message: Message): void {
    write(`${renderConsoleMessage(title, message, width)}\n`);
  }

  return {
    platform: 'console',
    async post(channel, message) {
      const ref: PostRef = { platform: 'console', channel, messageId: newId() };
      print(`posted to #${channel} (${ref.messageId})`, message);
      return ref;
    },
    async update(post, message) {
      print(`updated ${post.messageId} in #${post.channel}`, message);
    },
    async reply(post, message) {
      const ref: PostRef = { platform: 'console', channel: post.channel, messageId: newId() };
      print(`reply in thread of ${post.messageId} in #${post.channel}`, message);
      return ref;
    },
    async dm(userId, message) {
      const ref: PostRef = { platform: 'console', channel: `dm:${userId}`, messageId: newId() };
      print(`direct message to ${userId}`, message);
      return ref;
    },
  };
}

/** The message as framed plain text: header, sections with fields, `> ` quotes, `[Buttons]`. */
export function renderConsoleMessage(title: string, message: Message, width = 72): string {
  const top = `── ${title} `;
  const lines = [top.padEnd(width, '─')];
  if (message.blocks.length === 0) lines.push(stripMarkup(message.text));
  for (const block of message.blocks) lines.push(...renderBlock(block));
  lines.push('─'.repeat(width));
  return lines.join('\n');
}

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case 'header':
      return [`# ${stripMarkup(block.text)}`];
    case 'section': {
      const out = block.text ? [stripMarkup(block.text)] : [];
      for (const f of block.fields ?? []) out.push(`  ${stripMarkup(f.label)}: ${stripMarkup(f.value)}`);
      return out;
    }
    case 'quote':
      return block.text.split('\n').map((line) => `> ${line}`);
    case 'context':
      return [block.items.map(stripMarkup).join(' · ')];
    case 'actions':
      return [block.buttons.map((b) => `[${b.label}]`).join(' ')];
    case 'image':
      return [`(image: ${block.alt} ${block.url})`];
    case 'divider':
      return ['- - -'];
    case 'mention': {
      const who = [...block.slack, ...block.teams.map((m) => m.name)].map((n) => `@${n}`).join(' ');
      return [[who, stripMarkup(block.text)].filter(Boolean).join(' ')];
    }
  }
}
