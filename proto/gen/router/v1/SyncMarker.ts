// Original file: proto/router/v1/router.proto


/**
 * The snapshot (or the replay after a resume) is complete; what follows are
 * live changes.
 */
export interface SyncMarker {
}

/**
 * The snapshot (or the replay after a resume) is complete; what follows are
 * live changes.
 */
export interface SyncMarker__Output {
}
