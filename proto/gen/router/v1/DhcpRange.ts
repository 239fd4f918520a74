// Original file: proto/router/v1/router.proto


/**
 * An IPv4 address pool.
 */
export interface DhcpRange {
  'start'?: (string);
  'end'?: (string);
}

/**
 * An IPv4 address pool.
 */
export interface DhcpRange__Output {
  'start': (string);
  'end': (string);
}
