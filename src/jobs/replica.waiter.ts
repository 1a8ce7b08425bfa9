import { Logger } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection.factory';

/** After too few replicas answered, how long writes go on without waiting before the next try. */
const RETRY_AFTER_MS = 10_000;

const ignore = () => undefined;

const slotOfKey = new WeakMap<Cluster, Map<string, Promise<number>>>();

/** The hash slot of `key`, as the Cluster computes it (CLUSTER KEYSLOT, asked once per key). */
function slotOf(cluster: Cluster, key: string): Promise<number> {
  let slots = slotOfKey.get(cluster);
  if (!slots) slotOfKey.set(cluster, (slots = new Map()));
  let slot = slots.get(key);
  if (!slot) {
    slot = cluster.cluster('KEYSLOT', key);
    slot.catch(() => slots.delete(key));
    slots.set(key, slot);
  }
  return slot;
}

/**
 * Waits (Redis WAIT) until `replicas` replicas hold every write this connection made so far, or
 * `timeoutMs` passed; resolves to the number that did. On a Cluster it asks the primary that owns
 * `hashKey`'s slot, over the very connection the writes went through.
 */
async function waitForReplicas(
  client: RedisClient,
  hashKey: string,
  replicas: number,
  timeoutMs: number,
): Promise<number> {
  if (!(client instanceof Cluster)) return client.wait(replicas, timeoutMs);
  const owner = client.slots[await slotOf(client, hashKey)]?.[0];
  const node = client
    .nodes('master')
    .find(({ options }) => `${options.host}:${options.port}` === owner);
  if (!node) throw new Error(`no primary known for the slot of "${hashKey}"`);
  return node.wait(replicas, timeoutMs);
}

/**
 * Redis WAIT for the writes of one connection, shared by every batch: WAIT blocks the connection
 * it is sent on, so at most one is in flight, and the batches written meanwhile share the next
 * one. While too few replicas answer in time (a replica down, promoted by a failover and not yet
 * replaced, or lagging more than the timeout), writes go on without waiting and one WAIT every ten
 * seconds checks again: holding every trace back until a replica returns would stall the spool
 * instead. That is logged once, and once when the replicas are back.
 */
export class ReplicaWaiter {
  private readonly logger = new Logger('JobQueue');
  private inFlight?: Promise<void>;
  private next?: Promise<void>;
  private degradedUntil = 0;

  constructor(
    private readonly connection: RedisClient,
    private readonly hashKey: string,
    private readonly replicas: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once the writes made so far reached the replicas, or it is known they cannot. */
  wait(): Promise<void> {
    if (this.replicas === 0 || this.now() < this.degradedUntil) return Promise.resolve();
    if (this.next) return this.next;
    if (!this.inFlight) return (this.inFlight = this.send());
    this.next = this.inFlight.then(() => {
      this.next = undefined;
      return (this.inFlight = this.send());
    });
    return this.next;
  }

  /**
   * Never rejects: the writes it waits for have landed already, so a failed WAIT (the connection
   * dropped) counts like too few replicas; failing the hand-over would only add them again.
   */
  private send(): Promise<void> {
    const sent = waitForReplicas(this.connection, this.hashKey, this.replicas, this.timeoutMs).then(
      (acked) => this.note(acked),
      () => this.note(0),
    );
    void sent
      .finally(() => {
        if (this.inFlight === sent) this.inFlight = undefined;
      })
      .catch(ignore);
    return sent;
  }

  private note(acked: number): void {
    const degraded = acked < this.replicas;
    if (degraded && this.degradedUntil === 0) {
      this.logger.warn(
        `Only ${acked} of ${this.replicas} Redis replica(s) acknowledged queued jobs within ` +
          `${this.timeoutMs} ms: a failover now could lose the newest; checking again every ` +
          `${RETRY_AFTER_MS / 1000} s (said once, until they do)`,
      );
    } else if (!degraded && this.degradedUntil !== 0) {
      this.logger.log(`${acked} Redis replica(s) acknowledge queued jobs again`);
    }
    this.degradedUntil = degraded ? this.now() + RETRY_AFTER_MS : 0;
  }
}
