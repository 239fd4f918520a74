/**
 * What the reconciler needs from the dnsmasq supervisor, and nothing more.
 * The supervisor (`./dnsmasq-supervisor.ts`) implements it; unit tests use
 * `FakeDnsmasqControl` from `./fake-dnsmasq-control.ts`.
 *
 * The reconciler writes dnsmasq's files itself, then asks for the least
 * disruptive action that makes dnsmasq see them: nothing (inotify picks up
 * new static-lease files), `reload` (SIGHUP: host records, upstreams,
 * changed or removed lease files) or `restart` (the main config changed).
 */
import type { DnsmasqState } from "./router-runtime.js";

export interface DnsmasqControl {
  /** Starts dnsmasq if it is not running; resolves once it runs. Fails if it cannot start. */
  ensureRunning(): Promise<void>;
  /** Sends SIGHUP; starts dnsmasq instead if it is not running. */
  reload(): Promise<void>;
  /** Stops and starts dnsmasq, so it re-reads its main config. Fails if it does not come back. */
  restart(): Promise<void>;
  /** Stops dnsmasq cleanly (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  state(): DnsmasqState;
  /** Called whenever `state()` changes (start, exit, restart). Returns an unsubscribe. */
  onState?(listener: (state: DnsmasqState) => void): () => void;
}
