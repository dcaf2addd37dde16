// The page's root state: the guest, the engine panels, the terminal tabs, the workspace files
// and the language.
import { EngineState } from './engine.svelte.ts';
import { FilesState } from './files.svelte.ts';
import { GuestState } from './guest.svelte.ts';
import { I18n } from './i18n.svelte.ts';
import { TerminalTabs } from './terminals.svelte.ts';

export class Workspace {
  readonly guest = new GuestState();
  readonly engine = new EngineState();
  readonly terminals = new TerminalTabs();
  readonly files = new FilesState();
  readonly i18n = new I18n();

  /** Boots the guest, then opens the first terminal and subscribes the panels. */
  async start(guestBase: string): Promise<void> {
    // A dead engine worker is replaced by a new one: everything follows the new engine.
    this.guest.onEngineReplaced((client) => {
      this.terminals.attach(client);
      void Promise.all([this.engine.attach(client), this.files.attach(client)]).catch((e: Error) => (this.engine.error = e.message));
    });
    await this.guest.start(guestBase);
    const client = this.guest.engine;
    if (this.guest.status !== 'ready' || !client) return;
    this.terminals.attach(client);
    this.terminals.open();
    try {
      await Promise.all([this.engine.attach(client), this.files.attach(client)]);
    } catch (e) {
      this.engine.error = (e as Error).message;
    }
  }
}
