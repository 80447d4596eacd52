// Bot scopes requested by the OAuth install: exactly the manifest's (manifests/slack/manifest.yaml,
// where each one is justified; test/unit/slack-plumbing.test.ts keeps the two in step).
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'im:history',
  'users:read',
  'users:read.email',
  'usergroups:read',
  'channels:read',
  'files:write',
  // Replies in a digest's thread become learnings (message.channels / message.groups events).
  'channels:history',
  'groups:history',
] as const;
