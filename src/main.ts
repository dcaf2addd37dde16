import { mount } from 'svelte';
import App from './ui/App.svelte';

/**
 * The built site works offline after one visit (src/sw.ts). The build defines SLIPWAY_SW; the
 * dev server serves no sw.js, so it registers nothing. Registered once the guest booted: its
 * precache then revalidates the files the boot downloaded instead of fetching them in parallel.
 */
function registerServiceWorker(): void {
  if (!(import.meta as ImportMeta & { env?: { SLIPWAY_SW?: boolean } }).env?.SLIPWAY_SW || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((e: Error) => console.warn(`offline support unavailable: ${e.message}`));
}

mount(App, { target: document.getElementById('app')!, props: { onBooted: registerServiceWorker } });
