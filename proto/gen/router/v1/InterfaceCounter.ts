// Original file: proto/router/v1/router.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Kernel statistics of one interface.
 */
export interface InterfaceCounter {
  'ifname'?: (string);
  'rx_bytes'?: (number | string | Long);
  'rx_packets'?: (number | string | Long);
  'tx_bytes'?: (number | string | Long);
  'tx_packets'?: (number | string | Long);
}

/**
 * Kernel statistics of one interface.
 */
export interface InterfaceCounter__Output {
  'ifname': (string);
  'rx_bytes': (number);
  'rx_packets': (number);
  'tx_bytes': (number);
  'tx_packets': (number);
}
