/** A `DnsmasqControl` for tests: records the actions asked of it, fails on demand. */
import type { DnsmasqControl } from "./dnsmasq-control.js";
import type { DnsmasqState } from "./router-runtime.js";

export class FakeDnsmasqControl implements DnsmasqControl {
  readonly actions: string[] = [];
  /** Actions that fail when next asked for, e.g. "restart". */
  readonly failNext = new Set<string>();
  private running = false;
  private pid = 0;
  private starts = 0;
  private restarts = 0;
  private readonly listeners = new Set<(state: DnsmasqState) => void>();

  async ensureRunning(): Promise<void> {
    this.record("ensure-running");
    if (!this.running) this.start();
  }

  async reload(): Promise<void> {
    this.record("reload");
    if (!this.running) this.start();
  }

  async restart(): Promise<void> {
    this.record("restart");
    this.running = false;
    this.start();
  }

  async stop(): Promise<void> {
    this.record("stop");
    this.running = false;
    this.emit();
  }

  state(): DnsmasqState {
    return this.running
      ? { running: true, pid: this.pid, restarts: this.restarts }
      : { running: false, restarts: this.restarts };
  }

  onState(listener: (state: DnsmasqState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Simulates dnsmasq dying. */
  crash(): void {
    this.running = false;
    this.emit();
  }

  private record(action: string): void {
    this.actions.push(action);
    if (this.failNext.delete(action)) throw new Error(`dnsmasq ${action}: injected failure`);
  }

  private start(): void {
    this.running = true;
    if (this.starts > 0) this.restarts++;
    this.pid = 1000 + this.starts++;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l(this.state());
  }
}
