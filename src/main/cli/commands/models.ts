import type { Command } from 'commander'
import type { CliRuntime } from '../runtime'

export function registerModelsCommands(_program: Command, _rt: CliRuntime): void {}
