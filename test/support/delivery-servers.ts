import { LocalSmsGateway } from './sms-gateway';
import { SmtpInbox } from './smtp-inbox';

/**
 * A real local SMS gateway and SMTP server for one suite: started before its tests,
 * stopped after them. Read them through the returned object once the suite runs.
 */
export function useDeliveryServers(): { readonly gateway: LocalSmsGateway; readonly inbox: SmtpInbox } {
  let gateway: LocalSmsGateway | undefined;
  let inbox: SmtpInbox | undefined;
  beforeAll(async () => {
    gateway = await LocalSmsGateway.start();
    inbox = await SmtpInbox.start();
  });
  afterAll(async () => {
    await gateway?.close();
    await inbox?.close();
  });
  return {
    get gateway() {
      if (!gateway) throw new Error('the SMS gateway starts in beforeAll');
      return gateway;
    },
    get inbox() {
      if (!inbox) throw new Error('the SMTP inbox starts in beforeAll');
      return inbox;
    },
  };
}
