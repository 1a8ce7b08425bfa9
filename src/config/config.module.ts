import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { type ArkgateConfig, CONFIG_NAMESPACES } from './arkgate.config';

/** The whole configuration, for the few places that need more than one slice. */
export const ARKGATE_CONFIG = Symbol('ARKGATE_CONFIG');

/**
 * Serves a configuration built once ({@link loadConfig}) to every module: each slice under its
 * namespace's KEY, the whole under {@link ARKGATE_CONFIG}. Nothing here reads the environment.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ArkgateConfig): DynamicModule {
    const slices: Provider[] = Object.entries(CONFIG_NAMESPACES).map(([name, namespace]) => ({
      provide: namespace.KEY,
      useValue: config[name as keyof ArkgateConfig],
    }));
    const providers = [...slices, { provide: ARKGATE_CONFIG, useValue: config }];
    return {
      module: ConfigModule,
      providers,
      exports: providers.map((provider) => (provider as { provide: string | symbol }).provide),
    };
  }
}
