import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { type ArkgateConfig, CONFIG_NAMESPACES } from './arkgate.config';

/**
 * Serves a configuration built once ({@link loadConfig}) to every module, each slice under its
 * namespace's KEY. Nothing here reads the environment.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ArkgateConfig): DynamicModule {
    const slices: Provider[] = Object.entries(CONFIG_NAMESPACES).map(([name, namespace]) => ({
      provide: namespace.KEY,
      useValue: config[name as keyof ArkgateConfig],
    }));
    return {
      module: ConfigModule,
      providers: slices,
      exports: Object.values(CONFIG_NAMESPACES).map((namespace) => namespace.KEY),
    };
  }
}
