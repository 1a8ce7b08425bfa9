import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import { QueueModule } from './queue/queue.module';

/** The export worker alone: no HTTP server, the same export providers as the API process. */
@Module({ imports: [ConfigModule, QueueModule] })
export class WorkerModule {}
