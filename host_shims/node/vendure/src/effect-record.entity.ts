import { DeepPartial, VendureEntity } from '@vendure/core';
import { Column, Entity, Index } from 'typeorm';

// What the plugin did for one ordercare effect: the host's durable record
// of idempotency keys (abi/ABI.md, "Effects, idempotency keys and
// exactly-once"). Written in the same transaction as the refund or the
// stock adjustment it stands for; the unique key is what stops a retried
// callback from doing it twice.
@Entity('ordercare_effect')
export class OrdercareEffectRecord extends VendureEntity {
  constructor(input?: DeepPartial<OrdercareEffectRecord>) {
    super(input);
  }

  @Index({ unique: true })
  @Column()
  idempotencyKey: string;

  @Column()
  kind: string;

  // The Vendure entity it made: a Refund's id, a StockAdjustment's id.
  @Column({ type: 'varchar', nullable: true })
  hostReference: string | null;

  // What was done, as the answer ordercare gets (the refunded amount...).
  @Column({ type: 'text', nullable: true })
  detail: string | null;
}
