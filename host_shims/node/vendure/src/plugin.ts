import { PluginCommonModule, VendurePlugin } from '@vendure/core';

import { adminSchema, OrdercareAdminResolver, OrdercareShopResolver, shopSchema } from './api';
import { OrdercareEffectRecord } from './effect-record.entity';
import { ORDERCARE_OPTIONS, OrdercareOptions } from './options';
import { OrdercareService } from './ordercare.service';

// ordercare as a Vendure plugin (README, "Vendure"):
//   plugins: [OrdercarePlugin.init({ library: '/usr/lib/x86_64-linux-gnu/libordercare.so.1',
//                                    config: { store: { path: '/var/lib/ordercare/store.db' } } })]
@VendurePlugin({
  imports: [PluginCommonModule],
  providers: [OrdercareService, { provide: ORDERCARE_OPTIONS, useFactory: () => OrdercarePlugin.options }],
  entities: [OrdercareEffectRecord],
  adminApiExtensions: { schema: adminSchema, resolvers: [OrdercareAdminResolver] },
  shopApiExtensions: { schema: shopSchema, resolvers: [OrdercareShopResolver] },
  exports: [OrdercareService],
  compatibility: '^3.0.0',
})
export class OrdercarePlugin {
  static options: OrdercareOptions;

  static init(options: OrdercareOptions) {
    this.options = options;
    return OrdercarePlugin;
  }
}
