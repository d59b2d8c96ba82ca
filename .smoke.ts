import { writeFileSync } from 'node:fs'
import { renderPdf } from './src/main/report/pdf/render-pdf'
import { fixtureDoc } from './tests/unit/report/pdf-fixture'
const t0 = Date.now()
renderPdf(fixtureDoc()).then((b) => { writeFileSync('/tmp/r14b.pdf', b); console.log(b.length, Date.now() - t0, 'ms') })
