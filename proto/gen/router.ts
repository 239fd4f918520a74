import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from './google/rpc/Status';
import type { Ack as _router_v1_Ack, Ack__Output as _router_v1_Ack__Output } from './router/v1/Ack';
import type { CommitControl as _router_v1_CommitControl, CommitControl__Output as _router_v1_CommitControl__Output } from './router/v1/CommitControl';
import type { Condition as _router_v1_Condition, Condition__Output as _router_v1_Condition__Output } from './router/v1/Condition';
import type { CounterSample as _router_v1_CounterSample, CounterSample__Output as _router_v1_CounterSample__Output } from './router/v1/CounterSample';
import type { DesiredState as _router_v1_DesiredState, DesiredState__Output as _router_v1_DesiredState__Output } from './router/v1/DesiredState';
import type { DhcpOption as _router_v1_DhcpOption, DhcpOption__Output as _router_v1_DhcpOption__Output } from './router/v1/DhcpOption';
import type { DhcpRange as _router_v1_DhcpRange, DhcpRange__Output as _router_v1_DhcpRange__Output } from './router/v1/DhcpRange';
import type { DhcpSpec as _router_v1_DhcpSpec, DhcpSpec__Output as _router_v1_DhcpSpec__Output } from './router/v1/DhcpSpec';
import type { DnsSpec as _router_v1_DnsSpec, DnsSpec__Output as _router_v1_DnsSpec__Output } from './router/v1/DnsSpec';
import type { DnsmasqState as _router_v1_DnsmasqState, DnsmasqState__Output as _router_v1_DnsmasqState__Output } from './router/v1/DnsmasqState';
import type { Event as _router_v1_Event, Event__Output as _router_v1_Event__Output } from './router/v1/Event';
import type { FirewallRule as _router_v1_FirewallRule, FirewallRule__Output as _router_v1_FirewallRule__Output } from './router/v1/FirewallRule';
import type { FirewallSpec as _router_v1_FirewallSpec, FirewallSpec__Output as _router_v1_FirewallSpec__Output } from './router/v1/FirewallSpec';
import type { GetStateRequest as _router_v1_GetStateRequest, GetStateRequest__Output as _router_v1_GetStateRequest__Output } from './router/v1/GetStateRequest';
import type { GetStateResponse as _router_v1_GetStateResponse, GetStateResponse__Output as _router_v1_GetStateResponse__Output } from './router/v1/GetStateResponse';
import type { Heartbeat as _router_v1_Heartbeat, Heartbeat__Output as _router_v1_Heartbeat__Output } from './router/v1/Heartbeat';
import type { Hello as _router_v1_Hello, Hello__Output as _router_v1_Hello__Output } from './router/v1/Hello';
import type { HistoryRequest as _router_v1_HistoryRequest, HistoryRequest__Output as _router_v1_HistoryRequest__Output } from './router/v1/HistoryRequest';
import type { HistoryResponse as _router_v1_HistoryResponse, HistoryResponse__Output as _router_v1_HistoryResponse__Output } from './router/v1/HistoryResponse';
import type { HostRecord as _router_v1_HostRecord, HostRecord__Output as _router_v1_HostRecord__Output } from './router/v1/HostRecord';
import type { InterfaceCounter as _router_v1_InterfaceCounter, InterfaceCounter__Output as _router_v1_InterfaceCounter__Output } from './router/v1/InterfaceCounter';
import type { InterfaceMatch as _router_v1_InterfaceMatch, InterfaceMatch__Output as _router_v1_InterfaceMatch__Output } from './router/v1/InterfaceMatch';
import type { LanSpec as _router_v1_LanSpec, LanSpec__Output as _router_v1_LanSpec__Output } from './router/v1/LanSpec';
import type { Lease as _router_v1_Lease, Lease__Output as _router_v1_Lease__Output } from './router/v1/Lease';
import type { LeaseEvent as _router_v1_LeaseEvent, LeaseEvent__Output as _router_v1_LeaseEvent__Output } from './router/v1/LeaseEvent';
import type { LeaseSnapshot as _router_v1_LeaseSnapshot, LeaseSnapshot__Output as _router_v1_LeaseSnapshot__Output } from './router/v1/LeaseSnapshot';
import type { LinkOp as _router_v1_LinkOp, LinkOp__Output as _router_v1_LinkOp__Output } from './router/v1/LinkOp';
import type { LogSpec as _router_v1_LogSpec, LogSpec__Output as _router_v1_LogSpec__Output } from './router/v1/LogSpec';
import type { ManagementSpec as _router_v1_ManagementSpec, ManagementSpec__Output as _router_v1_ManagementSpec__Output } from './router/v1/ManagementSpec';
import type { PendingCommit as _router_v1_PendingCommit, PendingCommit__Output as _router_v1_PendingCommit__Output } from './router/v1/PendingCommit';
import type { Plan as _router_v1_Plan, Plan__Output as _router_v1_Plan__Output } from './router/v1/Plan';
import type { PortForward as _router_v1_PortForward, PortForward__Output as _router_v1_PortForward__Output } from './router/v1/PortForward';
import type { ReconcileRequest as _router_v1_ReconcileRequest, ReconcileRequest__Output as _router_v1_ReconcileRequest__Output } from './router/v1/ReconcileRequest';
import type { ReconcileResponse as _router_v1_ReconcileResponse, ReconcileResponse__Output as _router_v1_ReconcileResponse__Output } from './router/v1/ReconcileResponse';
import type { Reset as _router_v1_Reset, Reset__Output as _router_v1_Reset__Output } from './router/v1/Reset';
import type { Revision as _router_v1_Revision, Revision__Output as _router_v1_Revision__Output } from './router/v1/Revision';
import type { RollbackRequest as _router_v1_RollbackRequest, RollbackRequest__Output as _router_v1_RollbackRequest__Output } from './router/v1/RollbackRequest';
import type { RollbackResponse as _router_v1_RollbackResponse, RollbackResponse__Output as _router_v1_RollbackResponse__Output } from './router/v1/RollbackResponse';
import type { RouterAgentClient as _router_v1_RouterAgentClient, RouterAgentDefinition as _router_v1_RouterAgentDefinition } from './router/v1/RouterAgent';
import type { RouterSpec as _router_v1_RouterSpec, RouterSpec__Output as _router_v1_RouterSpec__Output } from './router/v1/RouterSpec';
import type { RouterStatus as _router_v1_RouterStatus, RouterStatus__Output as _router_v1_RouterStatus__Output } from './router/v1/RouterStatus';
import type { RuleCounter as _router_v1_RuleCounter, RuleCounter__Output as _router_v1_RuleCounter__Output } from './router/v1/RuleCounter';
import type { StaticLease as _router_v1_StaticLease, StaticLease__Output as _router_v1_StaticLease__Output } from './router/v1/StaticLease';
import type { SubscribeRequest as _router_v1_SubscribeRequest, SubscribeRequest__Output as _router_v1_SubscribeRequest__Output } from './router/v1/SubscribeRequest';
import type { SyncMarker as _router_v1_SyncMarker, SyncMarker__Output as _router_v1_SyncMarker__Output } from './router/v1/SyncMarker';
import type { SystemInfo as _router_v1_SystemInfo, SystemInfo__Output as _router_v1_SystemInfo__Output } from './router/v1/SystemInfo';
import type { WanSpec as _router_v1_WanSpec, WanSpec__Output as _router_v1_WanSpec__Output } from './router/v1/WanSpec';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
    rpc: {
      Status: MessageTypeDefinition<_google_rpc_Status, _google_rpc_Status__Output>
    }
  }
  router: {
    v1: {
      Ack: MessageTypeDefinition<_router_v1_Ack, _router_v1_Ack__Output>
      CommitControl: MessageTypeDefinition<_router_v1_CommitControl, _router_v1_CommitControl__Output>
      Condition: MessageTypeDefinition<_router_v1_Condition, _router_v1_Condition__Output>
      CounterSample: MessageTypeDefinition<_router_v1_CounterSample, _router_v1_CounterSample__Output>
      DesiredState: MessageTypeDefinition<_router_v1_DesiredState, _router_v1_DesiredState__Output>
      DhcpOption: MessageTypeDefinition<_router_v1_DhcpOption, _router_v1_DhcpOption__Output>
      DhcpRange: MessageTypeDefinition<_router_v1_DhcpRange, _router_v1_DhcpRange__Output>
      DhcpSpec: MessageTypeDefinition<_router_v1_DhcpSpec, _router_v1_DhcpSpec__Output>
      DnsSpec: MessageTypeDefinition<_router_v1_DnsSpec, _router_v1_DnsSpec__Output>
      DnsmasqAction: EnumTypeDefinition
      DnsmasqState: MessageTypeDefinition<_router_v1_DnsmasqState, _router_v1_DnsmasqState__Output>
      Event: MessageTypeDefinition<_router_v1_Event, _router_v1_Event__Output>
      FirewallRule: MessageTypeDefinition<_router_v1_FirewallRule, _router_v1_FirewallRule__Output>
      FirewallSpec: MessageTypeDefinition<_router_v1_FirewallSpec, _router_v1_FirewallSpec__Output>
      GetStateRequest: MessageTypeDefinition<_router_v1_GetStateRequest, _router_v1_GetStateRequest__Output>
      GetStateResponse: MessageTypeDefinition<_router_v1_GetStateResponse, _router_v1_GetStateResponse__Output>
      Heartbeat: MessageTypeDefinition<_router_v1_Heartbeat, _router_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_router_v1_Hello, _router_v1_Hello__Output>
      HistoryRequest: MessageTypeDefinition<_router_v1_HistoryRequest, _router_v1_HistoryRequest__Output>
      HistoryResponse: MessageTypeDefinition<_router_v1_HistoryResponse, _router_v1_HistoryResponse__Output>
      HostRecord: MessageTypeDefinition<_router_v1_HostRecord, _router_v1_HostRecord__Output>
      InterfaceCounter: MessageTypeDefinition<_router_v1_InterfaceCounter, _router_v1_InterfaceCounter__Output>
      InterfaceMatch: MessageTypeDefinition<_router_v1_InterfaceMatch, _router_v1_InterfaceMatch__Output>
      LanSpec: MessageTypeDefinition<_router_v1_LanSpec, _router_v1_LanSpec__Output>
      Lease: MessageTypeDefinition<_router_v1_Lease, _router_v1_Lease__Output>
      LeaseEvent: MessageTypeDefinition<_router_v1_LeaseEvent, _router_v1_LeaseEvent__Output>
      LeaseSnapshot: MessageTypeDefinition<_router_v1_LeaseSnapshot, _router_v1_LeaseSnapshot__Output>
      LinkOp: MessageTypeDefinition<_router_v1_LinkOp, _router_v1_LinkOp__Output>
      LogSpec: MessageTypeDefinition<_router_v1_LogSpec, _router_v1_LogSpec__Output>
      ManagementSpec: MessageTypeDefinition<_router_v1_ManagementSpec, _router_v1_ManagementSpec__Output>
      PendingCommit: MessageTypeDefinition<_router_v1_PendingCommit, _router_v1_PendingCommit__Output>
      Plan: MessageTypeDefinition<_router_v1_Plan, _router_v1_Plan__Output>
      PortForward: MessageTypeDefinition<_router_v1_PortForward, _router_v1_PortForward__Output>
      ReconcileRequest: MessageTypeDefinition<_router_v1_ReconcileRequest, _router_v1_ReconcileRequest__Output>
      ReconcileResponse: MessageTypeDefinition<_router_v1_ReconcileResponse, _router_v1_ReconcileResponse__Output>
      Reset: MessageTypeDefinition<_router_v1_Reset, _router_v1_Reset__Output>
      Revision: MessageTypeDefinition<_router_v1_Revision, _router_v1_Revision__Output>
      RollbackRequest: MessageTypeDefinition<_router_v1_RollbackRequest, _router_v1_RollbackRequest__Output>
      RollbackResponse: MessageTypeDefinition<_router_v1_RollbackResponse, _router_v1_RollbackResponse__Output>
      /**
       * The router agent inside the microVM.
       */
      RouterAgent: SubtypeConstructor<typeof grpc.Client, _router_v1_RouterAgentClient> & { service: _router_v1_RouterAgentDefinition }
      RouterSpec: MessageTypeDefinition<_router_v1_RouterSpec, _router_v1_RouterSpec__Output>
      RouterStatus: MessageTypeDefinition<_router_v1_RouterStatus, _router_v1_RouterStatus__Output>
      RuleCounter: MessageTypeDefinition<_router_v1_RuleCounter, _router_v1_RuleCounter__Output>
      StaticLease: MessageTypeDefinition<_router_v1_StaticLease, _router_v1_StaticLease__Output>
      SubscribeRequest: MessageTypeDefinition<_router_v1_SubscribeRequest, _router_v1_SubscribeRequest__Output>
      SyncMarker: MessageTypeDefinition<_router_v1_SyncMarker, _router_v1_SyncMarker__Output>
      SystemInfo: MessageTypeDefinition<_router_v1_SystemInfo, _router_v1_SystemInfo__Output>
      WanSpec: MessageTypeDefinition<_router_v1_WanSpec, _router_v1_WanSpec__Output>
    }
  }
}

