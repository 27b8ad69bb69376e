//! Work that one server does for all when several Steward servers share one database: the
//! server that holds a job's lease runs it; the others skip it until the lease runs out (a
//! server that stopped hands the job over that way).
use crate::core::db::{checked, db_err, rid, Db, StoreError};

/// Takes or renews the lease of `job` for `holder` for `secs` seconds: true when `holder` now
/// holds it. Two servers asking at the same moment: one conditional write commits, the other
/// conflicts and is told no.
pub async fn hold(db: &Db, job: &str, holder: &str, secs: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "UPSERT $lease SET holder = $holder, until = time::now() + type::duration($secs)
                 WHERE until = NONE OR until <= time::now() OR holder = $holder
                 RETURN VALUE holder",
        )
        .bind(("lease", rid("job_lease", job)))
        .bind(("holder", holder.to_string()))
        .bind(("secs", format!("{secs}s")))
        .await;
    match res.map_err(db_err).and_then(checked) {
        Ok(mut res) => {
            let holders: Vec<String> = res.take(0).map_err(db_err)?;
            Ok(holders.iter().any(|h| h == holder))
        }
        Err(StoreError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}
