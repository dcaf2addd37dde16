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

/** Dev builds only: `?watchdog=<ms>` shortens the guest watchdog (the crash-recovery test). */
export function debugBootOptions(search: string): { watchdog?: { intervalMs: number; timeoutMs: number } } {
  const ms = Number(new URLSearchParams(search).get('watchdog'));
  return ms > 0 ? { watchdog: { intervalMs: Math.max(100, Math.round(ms / 3)), timeoutMs: ms } } : {};
}
