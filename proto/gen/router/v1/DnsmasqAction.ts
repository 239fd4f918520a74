// Original file: proto/router/v1/router.proto

/**
 * How dnsmasq picks up a change.
 */
export const DnsmasqAction = {
  DNSMASQ_ACTION_UNSPECIFIED: 'DNSMASQ_ACTION_UNSPECIFIED',
  /**
   * Nothing changed for dnsmasq.
   */
  DNSMASQ_ACTION_NONE: 'DNSMASQ_ACTION_NONE',
  /**
   * Only inotify-watched files changed (static leases).
   */
  DNSMASQ_ACTION_INOTIFY: 'DNSMASQ_ACTION_INOTIFY',
  /**
   * Reloadable files changed (hosts, upstreams).
   */
  DNSMASQ_ACTION_SIGHUP: 'DNSMASQ_ACTION_SIGHUP',
  /**
   * The main config changed.
   */
  DNSMASQ_ACTION_RESTART: 'DNSMASQ_ACTION_RESTART',
} as const;

/**
 * How dnsmasq picks up a change.
 */
export type DnsmasqAction =
  | 'DNSMASQ_ACTION_UNSPECIFIED'
  | 0
  /**
   * Nothing changed for dnsmasq.
   */
  | 'DNSMASQ_ACTION_NONE'
  | 1
  /**
   * Only inotify-watched files changed (static leases).
   */
  | 'DNSMASQ_ACTION_INOTIFY'
  | 2
  /**
   * Reloadable files changed (hosts, upstreams).
   */
  | 'DNSMASQ_ACTION_SIGHUP'
  | 3
  /**
   * The main config changed.
   */
  | 'DNSMASQ_ACTION_RESTART'
  | 4

/**
 * How dnsmasq picks up a change.
 */
export type DnsmasqAction__Output = typeof DnsmasqAction[keyof typeof DnsmasqAction]
