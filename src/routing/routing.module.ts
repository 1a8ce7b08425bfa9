import { Module } from '@nestjs/common';
import { ModelRouter } from './model.router';
import { RouteTableService } from './route-table.service';

/** Model aliases from ROUTES_FILE: their targets, fallback order and breakers. */
@Module({
  providers: [RouteTableService, ModelRouter],
  exports: [RouteTableService, ModelRouter],
})
export class RoutingModule {}
