import type { Command } from 'commander'
import type { CliRuntime } from '../runtime'

export function registerReviewCommands(_program: Command, _rt: CliRuntime): void {}
