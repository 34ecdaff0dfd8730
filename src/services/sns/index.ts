/** SNS: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { SnsProvider } from './provider.js';
import { CERTIFICATE_PATH } from './signing.js';

/** The sns service definition; it serves the certificate that verifies its message signatures and the email/SMS messages it recorded as sent. */
export const sns: ServiceDefinition = {
  name: 'sns',
  create: (env) => new SnsProvider(env),
  routes: [
    {
      path: CERTIFICATE_PATH,
      answer: (provider) => ({ status: 200, contentType: 'application/x-pem-file', body: (provider as SnsProvider).signingCertificate() }),
    },
    {
      path: '/_nimbus/sns/messages',
      answer: (provider, query) => ({ status: 200, contentType: 'application/json', body: JSON.stringify((provider as SnsProvider).sentMessages(query)) }),
    },
  ],
};
