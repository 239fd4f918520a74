// Original file: proto/google/rpc/error_details.proto


/**
 * The reason for an error, with structured context.
 */
export interface ErrorInfo {
  /**
   * UPPER_SNAKE_CASE machine reason, e.g. `APPLY_FAILED`, `COMMIT_PENDING`.
   */
  'reason'?: (string);
  /**
   * The error's domain; router-agent uses `router-agent`.
   */
  'domain'?: (string);
  /**
   * Extra context, e.g. `step` = `nft`, `stderr` = the command's stderr.
   */
  'metadata'?: ({[key: string]: string});
}

/**
 * The reason for an error, with structured context.
 */
export interface ErrorInfo__Output {
  /**
   * UPPER_SNAKE_CASE machine reason, e.g. `APPLY_FAILED`, `COMMIT_PENDING`.
   */
  'reason': (string);
  /**
   * The error's domain; router-agent uses `router-agent`.
   */
  'domain': (string);
  /**
   * Extra context, e.g. `step` = `nft`, `stderr` = the command's stderr.
   */
  'metadata': ({[key: string]: string});
}
