//! A record's properties without a JSON round trip: a small serde serializer that turns a
//! struct of scalar fields straight into ordered `(name, Value)` pairs.
//!
//! It gives exactly what serializing to JSON and parsing the text back gives (strings as text,
//! integers as `Int`, `None` as null, floats as the value JSON text parses back to, non-finite
//! floats as null). Anything it does not handle (nested values, maps, enums) is reported as
//! [`Unsupported`], and the caller falls back to the JSON round trip.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::Value;

/// The record or one of its fields has a shape this serializer does not handle.
#[derive(Debug)]
pub struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unsupported shape")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// The ordered properties of a struct of scalar fields, or [`Unsupported`].
pub fn struct_props<T: Serialize>(record: &T) -> Result<Vec<(String, Value)>, Unsupported> {
    record.serialize(RecordSerializer)
}

/// A float as JSON text parses back: finite values through their JSON text, others null.
fn float_value(f: f64) -> Value {
    if !f.is_finite() {
        return Value::Null;
    }
    let parsed = serde_json::to_string(&f)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    match parsed.as_ref().and_then(serde_json::Value::as_f64) {
        Some(v) => Value::Real(v),
        None => Value::Real(f),
    }
}

/// Serializes the top-level struct.
struct RecordSerializer;

/// Collects the fields of the struct.
struct Fields(Vec<(String, Value)>);

impl ser::SerializeStruct for Fields {
    type Ok = Vec<(String, Value)>;
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.0
            .push((key.to_string(), value.serialize(ValueSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Unsupported> {
        Ok(self.0)
    }
}

/// Defines serializer methods that report [`Unsupported`].
macro_rules! unsupported {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Self::Ok, Unsupported> {
            Err(Unsupported)
        })*
    };
}

/// Defines the compound-value serializer methods, all reporting [`Unsupported`].
macro_rules! unsupported_compounds {
    () => {
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<Self::Ok, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Unsupported> {
            Err(Unsupported)
        }
    };
}

impl ser::Serializer for RecordSerializer {
    type Ok = Vec<(String, Value)>;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Self::Ok, Unsupported>;
    type SerializeTuple = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleStruct = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleVariant = Impossible<Self::Ok, Unsupported>;
    type SerializeMap = Impossible<Self::Ok, Unsupported>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Self::Ok, Unsupported>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields, Unsupported> {
        Ok(Fields(Vec::with_capacity(len + 4)))
    }

    unsupported!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );
    unsupported_compounds!();

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Self::Ok, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Unsupported> {
        Err(Unsupported)
    }
}

/// Serializes one scalar field value.
struct ValueSerializer;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Value, Unsupported>;
    type SerializeTuple = Impossible<Value, Unsupported>;
    type SerializeTupleStruct = Impossible<Value, Unsupported>;
    type SerializeTupleVariant = Impossible<Value, Unsupported>;
    type SerializeMap = Impossible<Value, Unsupported>;
    type SerializeStruct = Impossible<Value, Unsupported>;
    type SerializeStructVariant = Impossible<Value, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<Value, Unsupported> {
        Ok(Value::Int(i64::from(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Unsupported> {
        Ok(Value::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Unsupported> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Unsupported> {
        // JSON parsing keeps integers above i64::MAX as unsigned, read back as a float.
        Ok(i64::try_from(v).map_or(Value::Real(v as f64), Value::Int))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Unsupported> {
        Ok(float_value(v))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Unsupported> {
        Ok(Value::Text(v.to_string()))
    }
    fn serialize_none(self) -> Result<Value, Unsupported> {
        Ok(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Value, Unsupported> {
        v.serialize(self)
    }

    unsupported!(
        serialize_f32(f32),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );
    unsupported_compounds!();

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Value, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{default_change, default_control, default_event, default_place, json_props};
    use super::*;
    use crate::aggregate::EventRecord;

    fn same<T: Serialize>(record: &T) {
        assert_eq!(struct_props(record).unwrap(), json_props(record).unwrap());
    }

    #[test]
    fn records_give_the_same_properties_as_through_json() {
        same(&default_event());
        same(&default_control());
        same(&default_change());
        same(&default_place());
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for i in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let e = EventRecord {
                id: format!("e{i}"),
                actor1: Some("say \"hi\"\n\u{1}—".into()),
                geonameid: Some(i),
                date: chrono::NaiveDate::from_ymd_opt(2016, 8, 1 + i % 28),
                fatalities: (i % 2 == 0).then_some(i),
                confidence: match i % 4 {
                    0 => f64::from_bits(x >> 2),
                    1 => (x % 1000) as f64 / 1000.0,
                    2 => 1.0 - 1.0 / (1.0 + (x % 977) as f64),
                    _ => [f64::NAN, f64::INFINITY, 0.0, -0.0, 1e300][(x % 5) as usize],
                },
                ..default_event()
            };
            same(&e);
        }
    }

    #[test]
    fn other_shapes_are_unsupported() {
        assert!(struct_props(&vec![1, 2]).is_err());
        assert!(struct_props(&std::collections::BTreeMap::from([("a", 1)])).is_err());
    }
}
