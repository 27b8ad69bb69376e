//! Admin tools → Business information (`admin_tools.business_information`) and Localization
//! (`admin_tools.localization`) of the account acted in.
use crate::core::actor::AccessRefusal;
use crate::core::db::Tx;
use crate::core::domain::locale::{CURRENCIES, DATE_FORMATS, LANGUAGES, TIME_ZONES};
use crate::core::domain::names::text;
use crate::core::domain::{Invalid, Permission};
use crate::core::services::{Actor, FieldErrors, ServiceError, Services};
use crate::settings::model::{BusinessInformation, Localization};
use crate::settings::store;

async fn row(services: &Services, actor: &Actor) -> Result<store::AdminToolsRow, ServiceError> {
    store::admin_tools(&services.db, &actor.account_id)
        .await?
        .ok_or_else(|| AccessRefusal::AccountGone.into())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn business(services: &Services, actor: &Actor) -> Result<BusinessInformation, ServiceError> {
    actor.authorize(Permission::BUSINESS_INFORMATION)?;
    let r = row(services, actor).await?;
    Ok(BusinessInformation {
        business_name: r.business_name,
        address: r.address,
        time_zone: r.time_zone,
    })
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn save_business(
    services: &Services,
    actor: &Actor,
    input: BusinessInformation,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::BUSINESS_INFORMATION)?;
    let mut errors = FieldErrors::default();
    let name = errors.check(
        "business_name",
        text(&input.business_name, "business name", 0, 120),
    );
    let address = errors.check("address", text(&input.address, "address", 0, 500));
    let tz = errors.check(
        "time_zone",
        TIME_ZONES
            .contains(&input.time_zone.as_str())
            .then(|| input.time_zone.clone())
            .ok_or_else(|| Invalid("Choose a time zone.".into())),
    );
    errors.finish()?;
    let (name, address, tz) = (
        name.unwrap_or_default(),
        address.unwrap_or_default(),
        tz.unwrap_or_default(),
    );
    let mut tx = Tx::new();
    store::save_business(&mut tx, &actor.account_id, &name, &address, &tz);
    tx.audit(actor.audit(
        "account.business_information",
        format!("Business information: {name}, {tz}"),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn localization(services: &Services, actor: &Actor) -> Result<Localization, ServiceError> {
    actor.authorize(Permission::LOCALIZATION)?;
    let r = row(services, actor).await?;
    Ok(Localization {
        language: r.language,
        date_format: r.date_format,
        currency: r.currency,
    })
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn save_localization(
    services: &Services,
    actor: &Actor,
    input: Localization,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::LOCALIZATION)?;
    let mut errors = FieldErrors::default();
    let choose = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(Invalid(format!("Choose a {what}.")))
        }
    };
    errors.check(
        "language",
        choose(LANGUAGES.iter().any(|(k, _)| *k == input.language), "language"),
    );
    errors.check(
        "date_format",
        choose(DATE_FORMATS.contains(&input.date_format.as_str()), "date format"),
    );
    errors.check(
        "currency",
        choose(CURRENCIES.contains(&input.currency.as_str()), "currency"),
    );
    errors.finish()?;
    let mut tx = Tx::new();
    store::save_localization(
        &mut tx,
        &actor.account_id,
        &input.language,
        &input.date_format,
        &input.currency,
    );
    tx.audit(actor.audit(
        "account.localization",
        format!(
            "Localization: {}, {}, {}",
            input.language, input.date_format, input.currency
        ),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}
