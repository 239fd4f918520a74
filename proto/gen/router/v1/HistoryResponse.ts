// Original file: proto/router/v1/router.proto

import type { Revision as _router_v1_Revision, Revision__Output as _router_v1_Revision__Output } from '../../router/v1/Revision';

export interface HistoryResponse {
  /**
   * Newest first.
   */
  'revisions'?: (_router_v1_Revision)[];
}

export interface HistoryResponse__Output {
  /**
   * Newest first.
   */
  'revisions': (_router_v1_Revision__Output)[];
}
