// Original file: proto/google/rpc/error_details.proto


/**
 * One violation: where and what.
 */
export interface _google_rpc_BadRequest_FieldViolation {
  /**
   * A path to the offending field, e.g. `lans[0].dhcp.ranges[1].end`.
   */
  'field'?: (string);
  /**
   * Why the value is wrong, e.g. `10.88.1.5 is outside 10.88.0.0/24`.
   */
  'description'?: (string);
}

/**
 * One violation: where and what.
 */
export interface _google_rpc_BadRequest_FieldViolation__Output {
  /**
   * A path to the offending field, e.g. `lans[0].dhcp.ranges[1].end`.
   */
  'field': (string);
  /**
   * Why the value is wrong, e.g. `10.88.1.5 is outside 10.88.0.0/24`.
   */
  'description': (string);
}

/**
 * Describes violations in a client request: the fields of the desired state
 * that failed validation.
 */
export interface BadRequest {
  /**
   * Every violation found; validation collects them all, not only the first.
   */
  'field_violations'?: (_google_rpc_BadRequest_FieldViolation)[];
}

/**
 * Describes violations in a client request: the fields of the desired state
 * that failed validation.
 */
export interface BadRequest__Output {
  /**
   * Every violation found; validation collects them all, not only the first.
   */
  'field_violations': (_google_rpc_BadRequest_FieldViolation__Output)[];
}
