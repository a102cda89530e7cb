// The two Electron IPC channels the API travels on: one for requests, one for events. The main
// process (shell/ipc.ts) and the sandboxed preload both import them (the preload's bundle inlines
// them: it can require nothing).
export const IPC_INVOKE = 'lagrange:api';
export const IPC_EVENT = 'lagrange:event';
