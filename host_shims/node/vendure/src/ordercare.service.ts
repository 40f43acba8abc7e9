// The ordercare plugin inside Vendure: opens libordercare through the Node
// shim, turns Vendure's state transitions into canonical events, and
// carries out ordercare's callbacks with Vendure's own services.
//
// ordercare's callbacks are synchronous (they run inside oc_poll on Node's
// thread) and Vendure's services are not, so each effect that needs the
// database runs as a job keyed by its idempotency key:
//   refund, order_action  answer PENDING, then report with a refund.result
//                         or order_action.result event;
//   adjust_inventory,     answer RETRY_LATER while the job runs and DONE
//   lookup_order          (with its answer) when ordercare asks again.
// What a job did is recorded under its key in the ordercare_effect table,
// in the same transaction, so a callback retried after a crash or a
// restart finds the record and does nothing twice.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  EventBus,
  Fulfillment,
  FulfillmentStateTransitionEvent,
  ID,
  isGraphQlErrorResult,
  Logger,
  Order,
  OrderPlacedEvent,
  OrderService,
  OrderStateTransitionEvent,
  PaymentStateTransitionEvent,
  ProcessContext,
  ProductVariant,
  Refund,
  RefundStateTransitionEvent,
  RequestContext,
  RequestContextService,
  StockLevelService,
  StockLocation,
  StockLocationService,
  StockMovementService,
  TransactionalConnection,
} from '@vendure/core';
import path from 'path';
import { Subscription } from 'rxjs';

import { canonicalOrder, event, orderId, orderStatus, shipmentData, shipmentStatus } from './canonical';
import { OrdercareEffectRecord } from './effect-record.entity';
import { OrdercareNotificationEvent } from './notification.event';
import { ORDERCARE_OPTIONS, OrdercareOptions } from './options';
import { Answer, loadShim, ShimPlugin } from './shim';

const loggerCtx = 'OrdercarePlugin';

// ordercare's refund.result for a Vendure refund that settled or failed.
function refundResult(key: string, refund: Refund) {
  return refund.state === 'Settled'
    ? { refund_id: key, status: 'succeeded', amount: refund.total, host_reference: String(refund.id) }
    : { refund_id: key, status: 'failed', reason: `Vendure refund ${refund.id} is ${refund.state}`, host_reference: String(refund.id) };
}

// ordercare's log levels (oc_log_level) on Vendure's logger.
function logAt(level: number, message: string) {
  if (level === 0) Logger.error(message, loggerCtx);
  else if (level === 1) Logger.warn(message, loggerCtx);
  else if (level === 2) Logger.info(message, loggerCtx);
  else Logger.debug(message, loggerCtx);
}

type Job = { state: 'running' } | { state: 'done'; answer: Answer };

@Injectable()
export class OrdercareService implements OnApplicationBootstrap, OnApplicationShutdown {
  private oc: ShimPlugin | null = null;
  private timer: NodeJS.Timeout | null = null;
  private subscriptions: Subscription[] = [];
  private jobs = new Map<string, Job>();
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(ORDERCARE_OPTIONS) private options: OrdercareOptions,
    private eventBus: EventBus,
    private connection: TransactionalConnection,
    private orderService: OrderService,
    private requestContextService: RequestContextService,
    private stockMovementService: StockMovementService,
    private stockLevelService: StockLevelService,
    private stockLocationService: StockLocationService,
    private processContext: ProcessContext,
  ) {}

  onApplicationBootstrap() {
    // The server process hosts ordercare: its events are published there.
    // A Vendure worker (bootstrapWorker) leaves it alone.
    if (this.processContext.isWorker) return;
    const shim = loadShim(this.options.shimPath ?? path.join(__dirname, '..', '..', 'ordercare.js'));
    const config = { ...this.options.config };
    config.outbox = { base_backoff: '1s', ...(config.outbox ?? {}) };
    this.oc = new shim.Plugin(
      config,
      {
        refund: (r: any, k: string) => this.refund(r, k),
        adjust_inventory: (r: any, k: string) => this.adjustInventory(r, k),
        notify: (r: any, k: string) => this.notify(r, k),
        lookup_order: (r: any, k: string) => this.lookupOrder(r, k),
        ...(this.options.orderActions === false ? {} : { order_action: (r: any, k: string) => this.orderAction(r, k) }),
        log: (level: number, message: string) => logAt(level, message),
      },
      { library: this.options.library },
    );
    this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs ?? 100);
    this.subscribe();
    Logger.info(`ordercare open (${this.options.library})`, loggerCtx);
    this.track(this.resumePending()).catch((e) => Logger.error(`resuming pending effects: ${e.message}`, loggerCtx));
  }

  // ordercare does not ask again for an effect answered PENDING: the host
  // owes it a result. A process that stopped before reporting one (or
  // before its job committed) resumes them here, each under its key, so
  // what was done is reported and what was not is done, once.
  // Answers how many it resumed.
  async resumePending(): Promise<number> {
    let resumed = 0;
    const pending = (kind: string) => {
      const found: any[] = [];
      let cursor: string | null = null;
      do {
        const page: any = this.call('effects.list', { status: 'done', kind, limit: 1000, ...(cursor ? { cursor } : {}) });
        found.push(...page.effects.filter((e: any) => e.result?.outcome === 'pending'));
        cursor = page.next_cursor;
      } while (cursor);
      return found;
    };
    for (const effect of pending('refund')) {
      const order = this.call('order.get', { id: effect.order_id });
      if (!order.refunds.some((r: any) => r.id === effect.id && r.status === 'pending')) continue;
      this.refund(effect.payload, effect.id);
      resumed += 1;
    }
    for (const effect of pending('order_action')) {
      const order = this.call('order.get', { id: effect.order_id });
      if (!(order.actions ?? []).some((a: any) => a.id === effect.id && a.status === 'pending')) continue;
      this.orderAction(effect.payload, effect.id);
      resumed += 1;
    }
    return resumed;
  }

  async onApplicationShutdown() {
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
    this.oc?.close();
    this.oc = null;
  }

  // ---- ordercare from Vendure's side ----

  submit(ev: object): any {
    const answer = this.plugin().submit(ev);
    setImmediate(() => this.poll());
    return answer;
  }

  call(method: string, args: object = {}): any {
    const answer = this.plugin().call(method, args);
    setImmediate(() => this.poll());
    return answer;
  }

  // A carrier's report that Vendure has no state for (a failed delivery,
  // a delay, a loss), for the fulfillment it names.
  async reportShipment(ctx: RequestContext, fulfillmentId: ID, status: string, reason?: string, eventId?: string) {
    const fulfillment = await this.connection.getEntityOrThrow(ctx, Fulfillment, fulfillmentId);
    const order = await this.orderOfFulfillment(ctx, fulfillmentId);
    const at = new Date();
    const id = eventId ?? `vendure:fulfillment:${fulfillment.id}:${status}:${at.getTime()}`;
    return this.submit(event(id, 'shipment.updated', at, shipmentData(order, fulfillment, status, reason)));
  }

  // The customer's return request, for lines of a Vendure order.
  async requestReturn(
    ctx: RequestContext,
    orderCode: string,
    lines: Array<{ orderLineId: ID; quantity: number; reason: string; condition?: string }>,
    returnId?: string,
  ) {
    const order = await this.orderService.findOneByCode(ctx, orderCode);
    if (!order) throw new Error(`no order ${orderCode}`);
    const at = new Date();
    const id = returnId ?? `${order.code}-R${at.getTime().toString(36).toUpperCase()}`;
    this.submit(
      event(`vendure:return:${id}`, 'return.requested', at, {
        return_id: id,
        order_id: orderId(order),
        items: lines.map((l) => ({
          line_id: String(l.orderLineId),
          quantity: l.quantity,
          reason: l.reason,
          ...(l.condition ? { condition: l.condition } : {}),
        })),
      }),
    );
    return this.call('return.get', { id });
  }

  // The customer's request to cancel, from the storefront.
  requestCancellation(order: Order, reason?: string) {
    const at = new Date();
    return this.submit(event(`vendure:cancellation:${order.code}:${at.getTime()}`, 'cancellation.requested', at, {
      order_id: orderId(order), ...(reason ? { reason } : {}),
    }));
  }

  // The order, if the signed-in customer placed it (the Shop API's calls).
  async ownOrder(ctx: RequestContext, orderCode: string): Promise<Order | undefined> {
    if (!ctx.activeUserId) return undefined;
    const order = await this.orderService.findOneByCode(ctx, orderCode, ['customer', 'customer.user']);
    return order?.customer?.user && String(order.customer.user.id) === String(ctx.activeUserId) ? order : undefined;
  }

  // Resolves once every job started so far has finished (tests, shutdown).
  async settled() {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private plugin(): ShimPlugin {
    if (!this.oc) throw new Error('ordercare is not open');
    return this.oc;
  }

  private poll() {
    if (!this.oc) return;
    try {
      this.oc.poll();
    } catch (e: any) {
      Logger.error(`oc_poll: ${e.message}`, loggerCtx);
    }
  }

  private safeSubmit(ev: any) {
    try {
      this.submit(ev);
    } catch (e: any) {
      Logger.error(`ordercare refused ${ev.type} ${ev.id}: ${e.message}`, loggerCtx);
    }
  }

  // ---- Vendure's events in ----

  private subscribe() {
    const on = <T>(type: any, handler: (e: T) => Promise<void>) =>
      this.subscriptions.push(
        this.eventBus.ofType<any>(type).subscribe((e: T) => this.track(handler(e)).catch((err) =>
          Logger.error(`${type.name}: ${err.message}`, loggerCtx))),
      );

    on<OrderPlacedEvent>(OrderPlacedEvent, async (e) => {
      const order = await this.orderService.findOne(e.ctx, e.order.id);
      if (!order) return;
      this.safeSubmit(event(`vendure:order:${order.code}:placed`, 'order.created', new Date(), { order: canonicalOrder(order) }));
    });

    on<OrderStateTransitionEvent>(OrderStateTransitionEvent, async (e) => {
      const status = orderStatus(e.toState);
      // Placing an order is order.created's business. The rest is the
      // order's own status; each shipment's comes from its fulfillment.
      if (!status || status === 'processing' || e.fromState === 'ArrangingPayment') return;
      this.safeSubmit(event(`vendure:order:${e.order.code}:${e.toState}`, 'order.updated', new Date(), {
        order_id: orderId(e.order),
        status,
      }));
    });

    on<PaymentStateTransitionEvent>(PaymentStateTransitionEvent, async (e) => {
      if (e.toState !== 'Declined' && e.toState !== 'Error') return;
      this.safeSubmit(event(`vendure:payment:${e.payment.id}:${e.toState}`, 'payment.failed', new Date(), {
        order_id: orderId(e.order),
        amount: e.payment.amount,
        currency: e.order.currencyCode,
        ...(e.payment.errorMessage ? { reason: e.payment.errorMessage } : {}),
      }));
    });

    on<FulfillmentStateTransitionEvent>(FulfillmentStateTransitionEvent, async (e) => {
      const status = shipmentStatus(e.toState);
      if (!status) return;
      const order = await this.orderOfFulfillment(e.ctx, e.fulfillment.id);
      this.safeSubmit(event(`vendure:fulfillment:${e.fulfillment.id}:${e.toState}`, 'shipment.updated', new Date(),
        shipmentData(order, e.fulfillment, status)));
    });

    // A refund ordercare asked for that Vendure created Pending (a payment
    // method that settles refunds later, or by hand: settleRefund) is
    // reported when it settles or fails.
    on<RefundStateTransitionEvent>(RefundStateTransitionEvent, async (e) => {
      if (e.toState !== 'Settled' && e.toState !== 'Failed') return;
      const record = await this.records(e.ctx).findOne({ where: { kind: 'refund', hostReference: String(e.refund.id) } });
      if (!record) return;
      // The same event id as the refund job's: whichever reports first counts.
      this.safeSubmit(event(`vendure:refund.result:${record.idempotencyKey}`, 'refund.result', new Date(),
        refundResult(record.idempotencyKey, e.refund)));
    });
  }

  private async orderOfFulfillment(ctx: RequestContext, fulfillmentId: ID): Promise<Order> {
    const order = await this.connection
      .getRepository(ctx, Order)
      .createQueryBuilder('order')
      .innerJoin('order.fulfillments', 'fulfillment', 'fulfillment.id = :id', { id: fulfillmentId })
      .getOne();
    if (!order) throw new Error(`no order for fulfillment ${fulfillmentId}`);
    return order;
  }

  // ---- ordercare's callbacks out ----

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    p.finally(() => this.inFlight.delete(p)).catch(() => {});
    return p;
  }

  // Runs `work` once per key at a time; `finish` maps its outcome.
  private startJob(key: string, work: () => Promise<Answer>) {
    this.jobs.set(key, { state: 'running' });
    this.track(work())
      .then((answer) => this.jobs.set(key, { state: 'done', answer }))
      .catch((e) => {
        Logger.error(`${key}: ${e.message}`, loggerCtx);
        this.jobs.set(key, { state: 'done', answer: ['retry_later', { reason: e.message }] });
      });
  }

  // For callbacks answered RETRY_LATER while the job runs.
  private byJob(key: string, work: () => Promise<Answer>): Answer {
    const job = this.jobs.get(key);
    if (!job) {
      this.startJob(key, work);
      return ['retry_later', { reason: 'in progress in Vendure' }];
    }
    if (job.state === 'running') return ['retry_later', { reason: 'in progress in Vendure' }];
    this.jobs.delete(key);
    return job.answer;
  }

  private async adminContext(): Promise<RequestContext> {
    return this.requestContextService.create({ apiType: 'admin' });
  }

  private records(ctx: RequestContext) {
    return this.connection.getRepository(ctx, OrdercareEffectRecord);
  }

  private refund(request: any, key: string): Answer {
    if (this.jobs.get(key)?.state === 'running') return 'pending';
    this.jobs.set(key, { state: 'running' });
    this.track(this.issueRefund(request, key))
      .then((result) => result && this.safeSubmit(event(`vendure:refund.result:${key}`, 'refund.result', new Date(), result)))
      .catch((e) => {
        Logger.error(`refund ${key}: ${e.message}`, loggerCtx);
        this.safeSubmit(event(`vendure:refund.result:${key}`, 'refund.result', new Date(),
          { refund_id: key, status: 'failed', reason: e.message }));
      })
      .finally(() => this.jobs.delete(key));
    return 'pending';
  }

  // Vendure's refund flow (OrderService.refundOrder) against the order's
  // settled payment, for exactly the amount ordercare asks. Lines are
  // passed for the record (RefundLine); shipping and adjustment are 0 and
  // given, as Vendure's Refund columns need them. Answers the refund.result
  // to submit now, or null while Vendure's refund is Pending (its
  // RefundStateTransitionEvent reports it).
  private async issueRefund(request: any, key: string): Promise<object | null> {
    const ctx = await this.adminContext();
    return this.connection.withTransaction(ctx, async (tx) => {
      const done = await this.records(tx).findOne({ where: { idempotencyKey: key } });
      if (done) {
        const refund = await this.connection.getRepository(tx, Refund).findOne({ where: { id: done.hostReference! } });
        if (!refund) return { refund_id: key, status: 'failed', reason: `Vendure refund ${done.hostReference} is gone` };
        return refund.state === 'Pending' ? null : refundResult(key, refund);
      }
      const failed = (reason: string) => ({ refund_id: key, status: 'failed', reason });
      const order = await this.orderService.findOneByCode(tx, request.order_id, ['payments', 'payments.refunds', 'lines']);
      if (!order) return failed(`Vendure has no order ${request.order_id}`);
      const amount: number = request.amount.amount;
      if (request.amount.currency !== order.currencyCode) return failed(`order is in ${order.currencyCode}`);
      const refundable = (p: any) => p.amount - (p.refunds ?? []).filter((r: any) => r.state !== 'Failed')
        .reduce((sum: number, r: any) => sum + r.total, 0);
      const payment = order.payments
        .filter((p) => p.state === 'Settled' && refundable(p) >= amount)
        .sort((a, b) => refundable(b) - refundable(a))[0];
      if (!payment) return failed('no settled payment covers the amount');
      const lineIds = new Set(order.lines.map((l) => String(l.id)));
      const lines = (request.lines ?? [])
        .filter((l: any) => lineIds.has(String(l.line_id)))
        .map((l: any) => ({ orderLineId: l.line_id, quantity: l.quantity }));
      const result = await this.orderService.refundOrder(tx, {
        paymentId: payment.id,
        amount,
        lines,
        shipping: 0,
        adjustment: 0,
        reason: `ordercare ${key}: ${request.reason ?? ''}`.trim(),
      });
      if (isGraphQlErrorResult(result)) return failed(`${result.errorCode}: ${result.message}`);
      await this.records(tx).save(new OrdercareEffectRecord({
        idempotencyKey: key, kind: 'refund', hostReference: String(result.id),
        detail: JSON.stringify({ payment: String(payment.id), amount }),
      }));
      return result.state === 'Pending' ? null : refundResult(key, result);
    });
  }

  private adjustInventory(request: any, key: string): Answer {
    return this.byJob(key, async () => {
      const ctx = await this.adminContext();
      return this.connection.withTransaction(ctx, async (tx) => {
        const done = await this.records(tx).findOne({ where: { idempotencyKey: key } });
        if (done) return ['done', { host_reference: done.hostReference }] as Answer;
        const variant = await this.variantOf(tx, request);
        if (!variant) return ['rejected', { reason: `Vendure has no variant with SKU ${request.sku}` }] as Answer;
        const location = await this.locationOf(tx, request.location, request.reason !== 'return_damaged');
        if (!location) {
          // Damaged returns go to a returns area; a shop without a Vendure
          // stock location of that name keeps them out of sellable stock.
          await this.records(tx).save(new OrdercareEffectRecord({
            idempotencyKey: key, kind: 'adjust_inventory', hostReference: null,
            detail: JSON.stringify({ variant: String(variant.id), skipped: `no stock location ${request.location}` }),
          }));
          return ['done', { host_reference: `not stocked: Vendure has no stock location "${request.location}"` }] as Answer;
        }
        const level = await this.stockLevelService.getStockLevel(tx, variant.id, location.id);
        const adjustments = await this.stockMovementService.adjustProductVariantStock(tx, variant.id, [
          { stockLocationId: location.id, stockOnHand: level.stockOnHand + request.delta },
        ]);
        const reference = adjustments.map((a) => String(a.id)).join(',') || null;
        await this.records(tx).save(new OrdercareEffectRecord({
          idempotencyKey: key, kind: 'adjust_inventory', hostReference: reference,
          detail: JSON.stringify({ variant: String(variant.id), location: String(location.id), delta: request.delta }),
        }));
        return ['done', reference ? { host_reference: reference } : null] as Answer;
      });
    });
  }

  // The returned line's variant when the request names an order line, else
  // the variant with the request's SKU.
  private async variantOf(ctx: RequestContext, request: any): Promise<ProductVariant | undefined> {
    if (request.order_id && request.line_id) {
      const order = await this.orderService.findOneByCode(ctx, request.order_id, ['lines', 'lines.productVariant']);
      const line = order?.lines.find((l) => String(l.id) === String(request.line_id));
      if (line) return line.productVariant;
    }
    const variant = await this.connection.getRepository(ctx, ProductVariant).findOne({ where: { sku: request.sku } });
    return variant ?? undefined;
  }

  // The Vendure stock location named like ordercare's location, else
  // (when `orDefault`) the channel's default one.
  private async locationOf(ctx: RequestContext, name: string | undefined, orDefault: boolean): Promise<StockLocation | undefined> {
    if (name) {
      const found = await this.connection.getRepository(ctx, StockLocation).findOne({ where: { name } });
      if (found) return found;
    }
    return orDefault ? this.stockLocationService.defaultStockLocation(ctx) : undefined;
  }

  private notify(request: any, key: string): Answer {
    this.eventBus
      .publish(new OrdercareNotificationEvent(key, request.audience, request))
      .catch((e) => Logger.error(`notify ${key}: ${e.message}`, loggerCtx));
    return 'done';
  }

  private lookupOrder(request: any, key: string): Answer {
    return this.byJob(key, async () => {
      const ctx = await this.adminContext();
      const order = await this.orderService.findOneByCode(ctx, request.order_id);
      // An order still in checkout is known too: a payment that failed
      // there is a case ordercare raises before the order is placed.
      if (!order || !order.lines.some((l) => l.quantity > 0)) return ['rejected', { reason: 'unknown order' }] as Answer;
      return ['done', canonicalOrder(order)] as Answer;
    });
  }

  // What Vendure can do itself: cancel an order not shipped, and refund
  // what was paid for it. Reships, exchanges, labels and offers need a
  // warehouse or a carrier Vendure does not have: they are answered
  // REJECTED, and ordercare gives them to a person.
  private orderAction(request: any, key: string): Answer {
    if (request.action !== 'cancel')
      return ['rejected', { reason: `Vendure has no ${request.action}: do it by hand` }];
    if (this.jobs.get(key)?.state === 'running') return 'pending';
    this.jobs.set(key, { state: 'running' });
    const report = (result: object) =>
      this.safeSubmit(event(`vendure:order_action.result:${key}`, 'order_action.result', new Date(), { action_id: key, ...result }));
    this.track(this.cancelOrder(request, key))
      .then(report)
      .catch((e) => report({ status: 'failed', reason: e.message }))
      .finally(() => this.jobs.delete(key));
    return 'pending';
  }

  // OrderService.cancelOrder, then OrderService.refundOrder for what each
  // settled payment has not refunded yet, in one transaction with the
  // record of the key: all of it once, or none of it.
  private async cancelOrder(request: any, key: string): Promise<Record<string, unknown>> {
    const ctx = await this.adminContext();
    return this.connection.withTransaction(ctx, async (tx) => {
      const done = await this.records(tx).findOne({ where: { idempotencyKey: key } });
      if (done) return JSON.parse(done.detail ?? '{}');
      const order = await this.orderService.findOneByCode(tx, request.order_id, ['payments', 'payments.refunds']);
      if (!order) return { status: 'failed', reason: `Vendure has no order ${request.order_id}` };
      if (order.state === 'Cancelled') return { status: 'succeeded', host_reference: String(order.id) };
      if (['Shipped', 'PartiallyShipped', 'Delivered', 'PartiallyDelivered'].includes(order.state))
        return { status: 'failed', too_late: true, reason: `order is ${order.state}` };
      const cancelled = await this.orderService.cancelOrder(tx, {
        orderId: order.id, reason: `ordercare ${key}: ${request.reason ?? ''}`.trim(), cancelShipping: true,
      });
      if (isGraphQlErrorResult(cancelled)) return { status: 'failed', reason: `${cancelled.errorCode}: ${cancelled.message}` };
      const refunds: string[] = [];
      for (const payment of order.payments.filter((p) => p.state === 'Settled')) {
        const left = payment.amount - (payment.refunds ?? []).filter((r) => r.state !== 'Failed')
          .reduce((sum, r) => sum + r.total, 0);
        if (left <= 0) continue;
        const refund = await this.orderService.refundOrder(tx, {
          paymentId: payment.id, amount: left, lines: [], shipping: 0, adjustment: 0,
          reason: `ordercare ${key}: order cancelled`,
        });
        // Throwing rolls the cancel back too: ordercare is told it failed.
        if (isGraphQlErrorResult(refund)) throw new Error(`refund of payment ${payment.id}: ${refund.errorCode}: ${refund.message}`);
        refunds.push(String(refund.id));
      }
      const answer = { status: 'succeeded', host_reference: [`order ${order.id}`, ...refunds.map((id) => `refund ${id}`)].join(', ') };
      await this.records(tx).save(new OrdercareEffectRecord({
        idempotencyKey: key, kind: 'cancel', hostReference: String(order.id), detail: JSON.stringify(answer),
      }));
      return answer;
    });
  }
}
