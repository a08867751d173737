//! Parallel, order-preserving processing of a document stream in bounded batches.
//!
//! Documents are read sequentially into a batch (bounded by a document count and a byte budget),
//! mapped in parallel on a rayon pool, and handed to the consumer in input order together with
//! the input errors that occurred between them. Reading the next batch overlaps with mapping the
//! current one, so at most two batches are in memory at any time, whatever the input size.

use rayon::prelude::*;

use super::{Document, InputError};

/// Bytes of document text per batch and thread (the batch holds at most this times the thread
/// count, and at least one document).
const BATCH_BYTES_PER_THREAD: usize = 8 << 20;
/// Documents per batch and thread.
const BATCH_DOCS_PER_THREAD: usize = 64;

/// Map `map` over every document of `inputs` on `threads` threads (0 = all cores) and call
/// `consume` with each result, or each input error, in input order. Stops at the first error
/// returned by `consume` and returns it.
pub fn for_each_document_parallel<I, R, M, C, E>(
    inputs: I,
    threads: usize,
    map: M,
    mut consume: C,
) -> Result<(), E>
where
    I: Iterator<Item = Result<Document, InputError>> + Send,
    M: Fn(&Document) -> R + Sync,
    R: Send,
    C: FnMut(Result<(Document, R), InputError>) -> Result<(), E>,
{
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    let mut inputs = inputs;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
    let max_docs = BATCH_DOCS_PER_THREAD * threads;
    let max_bytes = BATCH_BYTES_PER_THREAD * threads;
    let read_batch = |it: &mut I| {
        let mut batch = Vec::new();
        let (mut docs, mut bytes) = (0usize, 0usize);
        while docs < max_docs && bytes < max_bytes {
            let Some(item) = it.next() else { break };
            if let Ok(d) = &item {
                docs += 1;
                bytes += d.text.len();
            }
            batch.push(item);
        }
        batch
    };
    let run = |batch: &[Result<Document, InputError>]| -> Vec<Option<R>> {
        batch
            .par_iter()
            .with_max_len(1)
            .map(|item| item.as_ref().ok().map(&map))
            .collect()
    };
    let mut batch = read_batch(&mut inputs);
    while !batch.is_empty() {
        let (results, next) = match &pool {
            Ok(pool) => pool.install(|| rayon::join(|| run(&batch), || read_batch(&mut inputs))),
            // No pool (cannot spawn threads): process sequentially.
            Err(_) => (
                batch
                    .iter()
                    .map(|item| item.as_ref().ok().map(&map))
                    .collect(),
                read_batch(&mut inputs),
            ),
        };
        for (item, result) in batch.into_iter().zip(results) {
            match (item, result) {
                (Ok(doc), Some(r)) => consume(Ok((doc, r)))?,
                (Err(e), _) => consume(Err(e))?,
                (Ok(_), None) => {}
            }
        }
        batch = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order_and_errors_in_place() {
        let items = (0..2000).map(|i| {
            if i % 7 == 3 {
                Err(InputError::BadLine {
                    path: "x".into(),
                    line: i,
                    reason: "bad".into(),
                })
            } else {
                Ok(Document {
                    id: i.to_string(),
                    text: "a".repeat(i as usize % 50),
                    date: None,
                    title: None,
                    url: None,
                })
            }
        });
        for threads in [1, 2, 4] {
            let mut seen = Vec::new();
            let r: Result<(), ()> = for_each_document_parallel(
                items.clone(),
                threads,
                |d| d.text.len() * 2,
                |item| {
                    seen.push(match item {
                        Ok((d, n)) => format!("{}:{}", d.id, n),
                        Err(e) => format!("E{e}"),
                    });
                    Ok(())
                },
            );
            assert!(r.is_ok());
            let want: Vec<String> = (0..2000u64)
                .map(|i| {
                    if i % 7 == 3 {
                        format!("Ex:{i}: bad")
                    } else {
                        format!("{i}:{}", (i % 50) * 2)
                    }
                })
                .collect();
            assert_eq!(seen, want, "threads {threads}");
        }
    }

    #[test]
    fn consumer_error_stops() {
        let items = (0..100).map(|i| {
            Ok(Document {
                id: i.to_string(),
                text: String::new(),
                date: None,
                title: None,
                url: None,
            })
        });
        let mut n = 0;
        let r = for_each_document_parallel(
            items,
            2,
            |_| (),
            |_| {
                n += 1;
                if n == 10 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(n, 10);
    }
}
