// After the guest was rebooted, the shells of the open tabs are gone: give each tab's place a
// fresh shell (at least one), so the user lands at a prompt again.
import type { GuestState } from './guest.svelte.ts';
import type { TerminalTabs } from './terminals.svelte.ts';

export function reopenTerminalsOnReboot(guest: GuestState, terminals: TerminalTabs): () => void {
  return guest.onRebooted(() => {
    const count = Math.max(1, terminals.tabs.length);
    for (const tab of terminals.tabs) terminals.close(tab.id);
    for (let i = 0; i < count; i++) terminals.open();
  });
}

type Liveness = { intervalMs: number; timeoutMs: number };

/** Dev builds only: `?watchdog=<ms>` shortens the guest watchdog (the crash-recovery test). */
export function debugBootOptions(search: string): { watchdog?: Liveness } {
  const watchdog = debugLiveness(search, 'watchdog');
  return watchdog ? { watchdog } : {};
}

/** Dev builds only: `?heartbeat=<ms>` shortens the page's check of the engine worker. */
export function debugHeartbeat(search: string): Liveness | null {
  return debugLiveness(search, 'heartbeat');
}

function debugLiveness(search: string, name: string): Liveness | null {
  const ms = Number(new URLSearchParams(search).get(name));
  return ms > 0 ? { intervalMs: Math.max(100, Math.round(ms / 3)), timeoutMs: ms } : null;
}
