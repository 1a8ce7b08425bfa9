import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { BudgetService } from './budget.service';

/** Per-API-key spending limits, at the routes file's prices. */
@Module({
  imports: [RoutingModule],
  providers: [BudgetService],
  exports: [BudgetService],
})
export class BudgetsModule {}
