// Original file: proto/router/v1/router.proto


/**
 * A local DNS record.
 */
export interface HostRecord {
  'name'?: (string);
  'ip'?: (string);
}

/**
 * A local DNS record.
 */
export interface HostRecord__Output {
  'name': (string);
  'ip': (string);
}
