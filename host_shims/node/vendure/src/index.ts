export { OrdercarePlugin } from './plugin';
export { OrdercareService } from './ordercare.service';
export { OrdercareNotificationEvent } from './notification.event';
export { OrdercareEffectRecord } from './effect-record.entity';
export { OrdercareOptions } from './options';
export * as canonical from './canonical';
