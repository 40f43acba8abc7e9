import { VendureEvent } from '@vendure/core';

// What ordercare asks to send (abi/CALLBACKS.md, notify): published on
// Vendure's EventBus for the shop's own mailer, e.g. an EmailPlugin
// handler or a team-chat subscriber. `key` is ordercare's idempotency key:
// a sender that can be retried after a crash keeps it to send once.
export class OrdercareNotificationEvent extends VendureEvent {
  constructor(
    public key: string,
    public audience: 'customer' | 'team',
    public request: any,
  ) {
    super();
  }
}
