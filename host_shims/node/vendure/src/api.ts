// API extensions for what Vendure has no event for. Shop API: the
// signed-in customer's return and cancellation requests. Admin API: a
// carrier's report of a failed delivery (or a delay, a loss), a return
// filed by staff, and ordercare's calls for an agent UI.
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, ForbiddenError, Permission, RequestContext, UserInputError } from '@vendure/core';
import gql from 'graphql-tag';

import { OrdercareService } from './ordercare.service';

const returnLineInput = `
  input OrdercareReturnLineInput {
    orderLineId: ID!
    quantity: Int!
    "damaged, wrong_item, not_as_described, changed_mind, missing_parts or other"
    reason: String!
    "The condition in the customer's words."
    condition: String
  }
`;

export const shopSchema = gql`
  ${returnLineInput}
  extend type Mutation {
    "The signed-in customer asks to return lines of one of their orders; answers the return as ordercare decided it."
    requestOrdercareReturn(orderCode: String!, lines: [OrdercareReturnLineInput!]!): JSON!
    "The signed-in customer asks to cancel one of their orders; answers ordercare's answer (the case it opened)."
    requestOrdercareCancellation(orderCode: String!, reason: String): JSON!
  }
`;

export const adminSchema = gql`
  ${returnLineInput}
  extend type Mutation {
    "A carrier's report on a fulfillment: status is ordercare's (in_transit, delayed, delivery_failed, delivered, lost, damaged)."
    ordercareReportShipment(fulfillmentId: ID!, status: String!, reason: String, eventId: String): JSON!
    "Files a return with ordercare; answers the return (ordercare's return.get)."
    ordercareRequestReturn(orderCode: String!, lines: [OrdercareReturnLineInput!]!, returnId: String): JSON!
    "Any ordercare command (abi/CALLS.md), e.g. return.receive, case.reply."
    ordercareCall(method: String!, args: JSON): JSON!
  }
  extend type Query {
    "An ordercare query (abi/CALLS.md): *.get, *.list, escalations.log, report.*."
    ordercareQuery(method: String!, args: JSON): JSON!
  }
`;

const READ_METHOD = /^(case|order|return|events)\.get$|\.list$|^escalations\.log$|^report\./;

@Resolver()
export class OrdercareAdminResolver {
  constructor(private ordercare: OrdercareService) {}

  @Mutation()
  @Allow(Permission.UpdateOrder)
  ordercareReportShipment(@Ctx() ctx: RequestContext, @Args() args: any) {
    return this.ordercare.reportShipment(ctx, args.fulfillmentId, args.status, args.reason ?? undefined, args.eventId ?? undefined);
  }

  @Mutation()
  @Allow(Permission.UpdateOrder)
  ordercareRequestReturn(@Ctx() ctx: RequestContext, @Args() args: any) {
    return this.ordercare.requestReturn(ctx, args.orderCode, args.lines, args.returnId ?? undefined);
  }

  @Mutation()
  @Allow(Permission.SuperAdmin)
  ordercareCall(@Args() args: any) {
    return this.ordercare.call(args.method, args.args ?? {});
  }

  @Query()
  @Allow(Permission.ReadOrder)
  ordercareQuery(@Args() args: any) {
    // Reading orders lets staff read ordercare, not change it.
    if (!READ_METHOD.test(args.method)) throw new UserInputError(`${args.method} is not a query: use ordercareCall`);
    return this.ordercare.call(args.method, args.args ?? {});
  }
}

@Resolver()
export class OrdercareShopResolver {
  constructor(private ordercare: OrdercareService) {}

  @Mutation()
  @Allow(Permission.Owner)
  async requestOrdercareReturn(@Ctx() ctx: RequestContext, @Args() args: any) {
    if (!(await this.ordercare.ownOrder(ctx, args.orderCode))) throw new ForbiddenError();
    return this.ordercare.requestReturn(ctx, args.orderCode, args.lines);
  }

  @Mutation()
  @Allow(Permission.Owner)
  async requestOrdercareCancellation(@Ctx() ctx: RequestContext, @Args() args: any) {
    const order = await this.ordercare.ownOrder(ctx, args.orderCode);
    if (!order) throw new ForbiddenError();
    return this.ordercare.requestCancellation(order, args.reason ?? undefined);
  }
}
