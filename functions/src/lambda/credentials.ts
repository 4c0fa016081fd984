/**
 * The AWS SDK's credential chain as the Lambda bundles use it (infra/lib/kam-stack.ts aliases
 * `@aws-sdk/credential-provider-node` to this file; nothing else imports it).
 *
 * In Lambda, the runtime hands the function role's credentials to the process in the
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), or, where
 * the runtime serves them over HTTP (SnapStart), through `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
 * Those are the first and the container link of the SDK's own default chain; the others (SSO,
 * shared ini files, credential processes, web-identity token files, EC2 instance metadata)
 * never apply there, and with their nested STS / SSO / sign-in clients they were a quarter of
 * every bundle. Same exports as the package, so the DynamoDB client's runtime config is unchanged.
 */
import { fromEnv } from "@aws-sdk/credential-provider-env";

type Init = Parameters<typeof fromEnv>[0] & Record<string, unknown>;
type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromEnv>>>;

export const defaultProvider =
  (init: Init = {}) =>
  async (): Promise<AwsCredentialIdentity> => {
    const env = process.env;
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return fromEnv(init)();
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
      const { fromHttp } = await import("@aws-sdk/credential-provider-http");
      return fromHttp(init)();
    }
    throw new Error("no AWS credentials: the Lambda runtime sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
  };

export const credentialsWillNeedRefresh = (credentials?: AwsCredentialIdentity): boolean => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: AwsCredentialIdentity): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
