/**
 * In-memory LeaseSource and CounterSource for API tests: the lease source
 * keeps a table, a monotonic seq and a bounded replay buffer like the real
 * tracker; the counter source counts up on every sample.
 */
import type {
  CounterSample,
  CounterSource,
  Lease,
  LeaseAction,
  LeaseEvent,
  LeaseSource,
} from "../../../agent/src/runtime/router-runtime.js";

export class FakeLeaseSource implements LeaseSource {
  private readonly table = new Map<string, Lease>();
  private readonly buffer: LeaseEvent[] = [];
  private readonly listeners = new Set<(e: LeaseEvent) => void>();
  private seq = 0;

  constructor(private readonly bufferSize = 100) {}

  snapshot(): Lease[] {
    return [...this.table.values()];
  }

  lastSeq(): number {
    return this.seq;
  }

  since(afterSeq: number): LeaseEvent[] | undefined {
    if (afterSeq === this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.seq > afterSeq + 1) return undefined;
    return this.buffer.filter((e) => e.seq > afterSeq);
  }

  subscribe(listener: (event: LeaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Records a lease change and notifies subscribers synchronously. */
  emit(action: LeaseAction, lease: Lease, at = Date.now()): LeaseEvent {
    if (action === "del") this.table.delete(lease.mac);
    else this.table.set(lease.mac, lease);
    const event: LeaseEvent = { seq: ++this.seq, action, lease, at };
    this.buffer.push(event);
    if (this.buffer.length > this.bufferSize) this.buffer.shift();
    for (const listener of [...this.listeners]) listener(event);
    return event;
  }
}

/** A dynamic lease on 10.88.0.0/24 for host number `n`. */
export function leaseFor(n: number, hostname = `host${n}`): Lease {
  const hex = (n & 0xff).toString(16).padStart(2, "0");
  return {
    mac: `02:00:00:00:${((n >> 8) & 0xff).toString(16).padStart(2, "0")}:${hex}`,
    ip: `10.88.0.${(n % 200) + 50}`,
    hostname,
    expiresAt: 1_900_000_000 + n,
    kind: "dynamic",
    lan: "lan",
  };
}

export class FakeCounterSource implements CounterSource {
  samples = 0;
  /** Bytes of padding per sample, to make samples large in backpressure tests. */
  padRules = 0;

  async sample(): Promise<CounterSample> {
    this.samples++;
    const n = this.samples;
    const rules = [
      { id: "allow_ssh", packets: n * 10, bytes: n * 1000 },
      { id: "pf_web", packets: n * 3, bytes: n * 4500 },
    ];
    for (let i = 0; i < this.padRules; i++) rules.push({ id: `pad_${i}`, packets: n, bytes: n });
    return {
      at: Date.now(),
      rules,
      interfaces: [
        {
          ifname: "eth0",
          rxBytes: n * 2000,
          rxPackets: n * 20,
          txBytes: n * 1500,
          txPackets: n * 15,
        },
        { ifname: "ens7", rxBytes: n * 700, rxPackets: n * 7, txBytes: n * 900, txPackets: n * 9 },
      ],
      conntrackCount: 17,
    };
  }
}
