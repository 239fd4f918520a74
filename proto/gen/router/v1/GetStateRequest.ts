// Original file: proto/router/v1/router.proto


export interface GetStateRequest {
}

export interface GetStateRequest__Output {
}
