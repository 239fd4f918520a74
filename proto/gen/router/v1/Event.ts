// Original file: proto/router/v1/router.proto

import type { LeaseSnapshot as _router_v1_LeaseSnapshot, LeaseSnapshot__Output as _router_v1_LeaseSnapshot__Output } from '../../router/v1/LeaseSnapshot';
import type { SyncMarker as _router_v1_SyncMarker, SyncMarker__Output as _router_v1_SyncMarker__Output } from '../../router/v1/SyncMarker';
import type { LeaseEvent as _router_v1_LeaseEvent, LeaseEvent__Output as _router_v1_LeaseEvent__Output } from '../../router/v1/LeaseEvent';
import type { CounterSample as _router_v1_CounterSample, CounterSample__Output as _router_v1_CounterSample__Output } from '../../router/v1/CounterSample';
import type { Heartbeat as _router_v1_Heartbeat, Heartbeat__Output as _router_v1_Heartbeat__Output } from '../../router/v1/Heartbeat';
import type { Reset as _router_v1_Reset, Reset__Output as _router_v1_Reset__Output } from '../../router/v1/Reset';

/**
 * One message on a Subscribe stream.
 */
export interface Event {
  /**
   * Opaque; pass it as `SubscribeRequest.resume_token` to continue after
   * this event. Set on every event.
   */
  'resume_token'?: (string);
  'lease_snapshot'?: (_router_v1_LeaseSnapshot | null);
  'sync'?: (_router_v1_SyncMarker | null);
  'lease_event'?: (_router_v1_LeaseEvent | null);
  'counter_sample'?: (_router_v1_CounterSample | null);
  'heartbeat'?: (_router_v1_Heartbeat | null);
  'reset'?: (_router_v1_Reset | null);
  'kind'?: "lease_snapshot"|"sync"|"lease_event"|"counter_sample"|"heartbeat"|"reset";
}

/**
 * One message on a Subscribe stream.
 */
export interface Event__Output {
  /**
   * Opaque; pass it as `SubscribeRequest.resume_token` to continue after
   * this event. Set on every event.
   */
  'resume_token': (string);
  'lease_snapshot'?: (_router_v1_LeaseSnapshot__Output | null);
  'sync'?: (_router_v1_SyncMarker__Output | null);
  'lease_event'?: (_router_v1_LeaseEvent__Output | null);
  'counter_sample'?: (_router_v1_CounterSample__Output | null);
  'heartbeat'?: (_router_v1_Heartbeat__Output | null);
  'reset'?: (_router_v1_Reset__Output | null);
  'kind'?: "lease_snapshot"|"sync"|"lease_event"|"counter_sample"|"heartbeat"|"reset";
}
