export * from './delivery.ts';
export * from './feedback.ts';
export * from './people.ts';
export * from './rollups.ts';
export * from './workspaces.ts';
export * from './connectors.ts';
