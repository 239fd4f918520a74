// Original file: proto/router/v1/router.proto


export interface HistoryRequest {
  /**
   * At most this many revisions, newest first; 0: all the agent keeps.
   */
  'limit'?: (number);
  /**
   * Include each revision's spec.
   */
  'include_specs'?: (boolean);
}

export interface HistoryRequest__Output {
  /**
   * At most this many revisions, newest first; 0: all the agent keeps.
   */
  'limit': (number);
  /**
   * Include each revision's spec.
   */
  'include_specs': (boolean);
}
