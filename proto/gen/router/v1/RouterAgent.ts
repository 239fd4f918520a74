// Original file: proto/router/v1/router.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Event as _router_v1_Event, Event__Output as _router_v1_Event__Output } from '../../router/v1/Event';
import type { GetStateRequest as _router_v1_GetStateRequest, GetStateRequest__Output as _router_v1_GetStateRequest__Output } from '../../router/v1/GetStateRequest';
import type { GetStateResponse as _router_v1_GetStateResponse, GetStateResponse__Output as _router_v1_GetStateResponse__Output } from '../../router/v1/GetStateResponse';
import type { HistoryRequest as _router_v1_HistoryRequest, HistoryRequest__Output as _router_v1_HistoryRequest__Output } from '../../router/v1/HistoryRequest';
import type { HistoryResponse as _router_v1_HistoryResponse, HistoryResponse__Output as _router_v1_HistoryResponse__Output } from '../../router/v1/HistoryResponse';
import type { ReconcileRequest as _router_v1_ReconcileRequest, ReconcileRequest__Output as _router_v1_ReconcileRequest__Output } from '../../router/v1/ReconcileRequest';
import type { ReconcileResponse as _router_v1_ReconcileResponse, ReconcileResponse__Output as _router_v1_ReconcileResponse__Output } from '../../router/v1/ReconcileResponse';
import type { RollbackRequest as _router_v1_RollbackRequest, RollbackRequest__Output as _router_v1_RollbackRequest__Output } from '../../router/v1/RollbackRequest';
import type { RollbackResponse as _router_v1_RollbackResponse, RollbackResponse__Output as _router_v1_RollbackResponse__Output } from '../../router/v1/RollbackResponse';
import type { SubscribeRequest as _router_v1_SubscribeRequest, SubscribeRequest__Output as _router_v1_SubscribeRequest__Output } from '../../router/v1/SubscribeRequest';

/**
 * The router agent inside the microVM.
 */
export interface RouterAgentClient extends grpc.Client {
  /**
   * The applied state, its spec and the conditions. Scope: read.
   */
  GetState(argument: _router_v1_GetStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _router_v1_GetStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _router_v1_GetStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _router_v1_GetStateRequest, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The applied state, its spec and the conditions. Scope: read.
   */
  getState(argument: _router_v1_GetStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _router_v1_GetStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _router_v1_GetStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _router_v1_GetStateRequest, callback: grpc.requestCallback<_router_v1_GetStateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The applied revisions, newest first. Scope: read.
   */
  History(argument: _router_v1_HistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _router_v1_HistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _router_v1_HistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _router_v1_HistoryRequest, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The applied revisions, newest first. Scope: read.
   */
  history(argument: _router_v1_HistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _router_v1_HistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _router_v1_HistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _router_v1_HistoryRequest, callback: grpc.requestCallback<_router_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Push desired state and control commit-confirm windows. Scope: write.
   * 
   * Protocol:
   * 1. On open the agent sends `Hello` with what it runs now.
   * 2. The client sends `DesiredState` or `CommitControl` messages, each with
   * a nonce unique within the stream.
   * 3. The agent answers every nonce with exactly one `Ack`. Pushes are
   * applied one at a time in arrival order; a `DesiredState` that is still
   * queued when a newer one arrives is not applied and is answered with
   * `Ack{accepted: false, superseded: true}`.
   * 4. The agent sends `RouterStatus` whenever a condition or the applied
   * state changes, whoever caused it (including other streams and a
   * commit-confirm timeout).
   * The stream may stay open for days; closing it does not undo anything.
   */
  Reconcile(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_router_v1_ReconcileRequest, _router_v1_ReconcileResponse__Output>;
  Reconcile(options?: grpc.CallOptions): grpc.ClientDuplexStream<_router_v1_ReconcileRequest, _router_v1_ReconcileResponse__Output>;
  /**
   * Push desired state and control commit-confirm windows. Scope: write.
   * 
   * Protocol:
   * 1. On open the agent sends `Hello` with what it runs now.
   * 2. The client sends `DesiredState` or `CommitControl` messages, each with
   * a nonce unique within the stream.
   * 3. The agent answers every nonce with exactly one `Ack`. Pushes are
   * applied one at a time in arrival order; a `DesiredState` that is still
   * queued when a newer one arrives is not applied and is answered with
   * `Ack{accepted: false, superseded: true}`.
   * 4. The agent sends `RouterStatus` whenever a condition or the applied
   * state changes, whoever caused it (including other streams and a
   * commit-confirm timeout).
   * The stream may stay open for days; closing it does not undo anything.
   */
  reconcile(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_router_v1_ReconcileRequest, _router_v1_ReconcileResponse__Output>;
  reconcile(options?: grpc.CallOptions): grpc.ClientDuplexStream<_router_v1_ReconcileRequest, _router_v1_ReconcileResponse__Output>;
  
  /**
   * Re-apply a stored revision as a new revision. Scope: write.
   * 
   * Fails with NOT_FOUND for an unknown revision, FAILED_PRECONDITION while a
   * commit-confirm window is open, and ABORTED when the apply failed (the
   * router then stays on its last good state); the `google.rpc.Status` in the
   * `grpc-status-details-bin` trailer carries an `ErrorInfo`.
   */
  Rollback(argument: _router_v1_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _router_v1_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _router_v1_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _router_v1_RollbackRequest, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Re-apply a stored revision as a new revision. Scope: write.
   * 
   * Fails with NOT_FOUND for an unknown revision, FAILED_PRECONDITION while a
   * commit-confirm window is open, and ABORTED when the apply failed (the
   * router then stays on its last good state); the `google.rpc.Status` in the
   * `grpc-status-details-bin` trailer carries an `ErrorInfo`.
   */
  rollback(argument: _router_v1_RollbackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _router_v1_RollbackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _router_v1_RollbackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _router_v1_RollbackRequest, callback: grpc.requestCallback<_router_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Watch leases and counters. Scope: read.
   * 
   * With `leases`, the stream starts with a `LeaseSnapshot`, then a
   * `SyncMarker`, then one `LeaseEvent` per change, in order, never dropped.
   * With `counters`, it carries a `CounterSample` every
   * `counter_interval_ms`; a slow reader gets the latest sample with
   * `duplicates` counting the samples it missed. `Heartbeat`s flow either way.
   * Every event carries a `resume_token`; a new call with that token replays
   * the lease events missed in between, or starts with `Reset` and a fresh
   * snapshot when the agent no longer holds them.
   */
  Subscribe(argument: _router_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_router_v1_Event__Output>;
  Subscribe(argument: _router_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_router_v1_Event__Output>;
  /**
   * Watch leases and counters. Scope: read.
   * 
   * With `leases`, the stream starts with a `LeaseSnapshot`, then a
   * `SyncMarker`, then one `LeaseEvent` per change, in order, never dropped.
   * With `counters`, it carries a `CounterSample` every
   * `counter_interval_ms`; a slow reader gets the latest sample with
   * `duplicates` counting the samples it missed. `Heartbeat`s flow either way.
   * Every event carries a `resume_token`; a new call with that token replays
   * the lease events missed in between, or starts with `Reset` and a fresh
   * snapshot when the agent no longer holds them.
   */
  subscribe(argument: _router_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_router_v1_Event__Output>;
  subscribe(argument: _router_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_router_v1_Event__Output>;
  
}

/**
 * The router agent inside the microVM.
 */
export interface RouterAgentHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The applied state, its spec and the conditions. Scope: read.
   */
  GetState: grpc.handleUnaryCall<_router_v1_GetStateRequest__Output, _router_v1_GetStateResponse>;
  
  /**
   * The applied revisions, newest first. Scope: read.
   */
  History: grpc.handleUnaryCall<_router_v1_HistoryRequest__Output, _router_v1_HistoryResponse>;
  
  /**
   * Push desired state and control commit-confirm windows. Scope: write.
   * 
   * Protocol:
   * 1. On open the agent sends `Hello` with what it runs now.
   * 2. The client sends `DesiredState` or `CommitControl` messages, each with
   * a nonce unique within the stream.
   * 3. The agent answers every nonce with exactly one `Ack`. Pushes are
   * applied one at a time in arrival order; a `DesiredState` that is still
   * queued when a newer one arrives is not applied and is answered with
   * `Ack{accepted: false, superseded: true}`.
   * 4. The agent sends `RouterStatus` whenever a condition or the applied
   * state changes, whoever caused it (including other streams and a
   * commit-confirm timeout).
   * The stream may stay open for days; closing it does not undo anything.
   */
  Reconcile: grpc.handleBidiStreamingCall<_router_v1_ReconcileRequest__Output, _router_v1_ReconcileResponse>;
  
  /**
   * Re-apply a stored revision as a new revision. Scope: write.
   * 
   * Fails with NOT_FOUND for an unknown revision, FAILED_PRECONDITION while a
   * commit-confirm window is open, and ABORTED when the apply failed (the
   * router then stays on its last good state); the `google.rpc.Status` in the
   * `grpc-status-details-bin` trailer carries an `ErrorInfo`.
   */
  Rollback: grpc.handleUnaryCall<_router_v1_RollbackRequest__Output, _router_v1_RollbackResponse>;
  
  /**
   * Watch leases and counters. Scope: read.
   * 
   * With `leases`, the stream starts with a `LeaseSnapshot`, then a
   * `SyncMarker`, then one `LeaseEvent` per change, in order, never dropped.
   * With `counters`, it carries a `CounterSample` every
   * `counter_interval_ms`; a slow reader gets the latest sample with
   * `duplicates` counting the samples it missed. `Heartbeat`s flow either way.
   * Every event carries a `resume_token`; a new call with that token replays
   * the lease events missed in between, or starts with `Reset` and a fresh
   * snapshot when the agent no longer holds them.
   */
  Subscribe: grpc.handleServerStreamingCall<_router_v1_SubscribeRequest__Output, _router_v1_Event>;
  
}

export interface RouterAgentDefinition extends grpc.ServiceDefinition {
  GetState: MethodDefinition<_router_v1_GetStateRequest, _router_v1_GetStateResponse, _router_v1_GetStateRequest__Output, _router_v1_GetStateResponse__Output>
  History: MethodDefinition<_router_v1_HistoryRequest, _router_v1_HistoryResponse, _router_v1_HistoryRequest__Output, _router_v1_HistoryResponse__Output>
  Reconcile: MethodDefinition<_router_v1_ReconcileRequest, _router_v1_ReconcileResponse, _router_v1_ReconcileRequest__Output, _router_v1_ReconcileResponse__Output>
  Rollback: MethodDefinition<_router_v1_RollbackRequest, _router_v1_RollbackResponse, _router_v1_RollbackRequest__Output, _router_v1_RollbackResponse__Output>
  Subscribe: MethodDefinition<_router_v1_SubscribeRequest, _router_v1_Event, _router_v1_SubscribeRequest__Output, _router_v1_Event__Output>
}
