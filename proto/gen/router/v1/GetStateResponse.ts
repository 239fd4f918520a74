// Original file: proto/router/v1/router.proto

import type { RouterStatus as _router_v1_RouterStatus, RouterStatus__Output as _router_v1_RouterStatus__Output } from '../../router/v1/RouterStatus';
import type { RouterSpec as _router_v1_RouterSpec, RouterSpec__Output as _router_v1_RouterSpec__Output } from '../../router/v1/RouterSpec';

export interface GetStateResponse {
  'status'?: (_router_v1_RouterStatus | null);
  /**
   * The applied spec with defaults filled in; absent before the first apply.
   */
  'spec'?: (_router_v1_RouterSpec | null);
}

export interface GetStateResponse__Output {
  'status': (_router_v1_RouterStatus__Output | null);
  /**
   * The applied spec with defaults filled in; absent before the first apply.
   */
  'spec': (_router_v1_RouterSpec__Output | null);
}
