// Original file: proto/router/v1/router.proto

import type { RouterStatus as _router_v1_RouterStatus, RouterStatus__Output as _router_v1_RouterStatus__Output } from '../../router/v1/RouterStatus';
import type { RouterSpec as _router_v1_RouterSpec, RouterSpec__Output as _router_v1_RouterSpec__Output } from '../../router/v1/RouterSpec';
import type { SystemInfo as _router_v1_SystemInfo, SystemInfo__Output as _router_v1_SystemInfo__Output } from '../../router/v1/SystemInfo';

export interface GetStateResponse {
  'status'?: (_router_v1_RouterStatus | null);
  /**
   * The applied spec with defaults filled in; absent before the first apply.
   */
  'spec'?: (_router_v1_RouterSpec | null);
  /**
   * Facts about the guest the agent runs on; absent if they could not be read.
   */
  'system'?: (_router_v1_SystemInfo | null);
}

export interface GetStateResponse__Output {
  'status': (_router_v1_RouterStatus__Output | null);
  /**
   * The applied spec with defaults filled in; absent before the first apply.
   */
  'spec': (_router_v1_RouterSpec__Output | null);
  /**
   * Facts about the guest the agent runs on; absent if they could not be read.
   */
  'system': (_router_v1_SystemInfo__Output | null);
}
