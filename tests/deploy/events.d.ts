import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
/**
 * API Gateway HTTP API events, payload format 2.0, as the JWT authorizer hands them to a Lambda
 * integration: every claim is a string, arrays included (`roles` = `"[Director Manager]"`),
 * numbers too (`"exp": "1767225600"`); headers are lower-cased; the query string is parsed with
 * repeated keys joined by commas; path parameters are decoded.
 */
export interface Identity {
    tid: string;
    oid: string;
    name: string;
    roles: string[];
}
export declare const API_ID = "a1b2c3d4e5";
/** The add-in's Entra application (client) ID: the tokens' `aud`. */
export declare const AUDIENCE = "c6c1f32b-5e55-4997-881a-753cc1d563b7";
export declare const REGION = "ap-east-1";
export declare const ACCOUNT = "123456789012";
/** The claims object of `requestContext.authorizer.jwt.claims` for an Entra v2.0 access token. */
export declare function gatewayClaims(who: Identity, audience?: string): Record<string, string>;
export interface Call {
    /** The route key as in the template, e.g. `GET /v1/accounts/{id}`. */
    routeKey: string;
    /** Path parameters filling the template. */
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
}
export declare function gatewayEvent(who: Identity, call: Call): APIGatewayProxyEventV2WithJWTAuthorizer;
