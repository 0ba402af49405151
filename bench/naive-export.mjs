// Baseline of the export benchmark: the same number of rows written the naive way. One SQL join
// (tenants × their integrations × the latest verdict of each step), every row joined with commas
// in memory, one writeFileSync. No derivation, no quoting, no streaming: what the real export's
// time and memory are measured against.
//   node bench/naive-export.mjs DB OUT ROWS
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';

const [dbFile, outFile, rowsWanted] = process.argv.slice(2);
const db = new Database(dbFile, { readonly: true });
const rows = db
  .prepare(
    `SELECT t.tenant_id, t.name, t.domain, t.engagement_manager, t.engineer, i.integration, i.option,
            count(v.id) AS steps, sum(v.status IN ('pass', 'warn', 'attested')) AS done,
            max(v.observed_at) AS last_checked, t.started_on, i.device_added
     FROM tenants t
     JOIN (SELECT tenant_id, 'access' AS integration, NULL AS option, NULL AS device_added FROM tenants
           UNION ALL SELECT tenant_id, integration, option, device_added FROM tenant_integrations) i USING (tenant_id)
     LEFT JOIN verdict_heads h ON h.tenant_id = t.tenant_id AND h.step_id LIKE i.integration || '.%'
     LEFT JOIN verdicts v ON v.id = h.latest_id
     GROUP BY t.tenant_id, i.integration
     ORDER BY t.name, t.tenant_id, i.integration`,
  )
  .all();
const wanted = Number(rowsWanted);
const lines = ['tenant_id,tenant_name,domain,engagement_manager,engineer,integration,option,applicable_steps,done_steps,last_checked,started_on,device_added_on'];
for (let i = 0; i < wanted; i++) lines.push(Object.values(rows[i % rows.length]).join(','));
writeFileSync(outFile, lines.join('\r\n') + '\r\n');
db.close();
