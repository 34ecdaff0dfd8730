/** Who makes a request: the identity the credentials belong to. */
export interface Principal {
  /** The account the identity lives in. */
  readonly account: string;
  /** The identity's ARN as GetCallerIdentity reports it. */
  readonly arn: string;
  /** GetCallerIdentity's UserId: the account id for root, AIDA... for users, AROA...:session for assumed roles. */
  readonly userId: string;
  readonly type: 'root' | 'user' | 'assumed-role' | 'federated-user' | 'service';
  /** The access key the request was signed with, if any. */
  readonly accessKeyId?: string;
  /** For an assumed role: the role's ARN. */
  readonly roleArn?: string;
}

/** The root principal of an account. */
export function rootPrincipal(account: string, accessKeyId?: string): Principal {
  return { account, arn: `arn:aws:iam::${account}:root`, userId: account, type: 'root', accessKeyId };
}

/** A service principal acting inside nimbus (e.g. dynamodb.amazonaws.com deleting expired items). */
export function servicePrincipal(account: string, service: string): Principal {
  return { account, arn: service, userId: service, type: 'service' };
}
