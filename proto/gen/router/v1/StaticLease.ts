// Original file: proto/router/v1/router.proto


/**
 * A fixed MAC-to-IP assignment.
 */
export interface StaticLease {
  /**
   * `aa:bb:cc:dd:ee:ff`.
   */
  'mac'?: (string);
  /**
   * Inside the LAN subnet; unique.
   */
  'ip'?: (string);
  /**
   * RFC 1123 host label.
   */
  'hostname'?: (string);
  '_hostname'?: "hostname";
}

/**
 * A fixed MAC-to-IP assignment.
 */
export interface StaticLease__Output {
  /**
   * `aa:bb:cc:dd:ee:ff`.
   */
  'mac': (string);
  /**
   * Inside the LAN subnet; unique.
   */
  'ip': (string);
  /**
   * RFC 1123 host label.
   */
  'hostname'?: (string);
  '_hostname'?: "hostname";
}
