//! The all-MiniLM-L6-v2 sentence encoder (6-layer BERT, 384 dimensions) run on the CPU with
//! candle: WordPiece ids from the model's `tokenizer.json`, the BERT forward pass, then
//! mean pooling over the real tokens and unit length, as sentence-transformers does for
//! this model. Only built with the `embeddings` cargo feature; the weights are read from a
//! local directory (see [`super::embedding::model_dir`]), never downloaded.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use super::embedding::{normalize, Embed, Embedding};

/// Longest input in word pieces (the model's tokenizer truncates there too).
const MAX_TOKENS: usize = 128;
/// Sentences per forward pass (sorted by length, so little padding).
const BATCH: usize = 32;

/// The loaded encoder.
pub struct MiniLm {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl std::fmt::Debug for MiniLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MiniLm")
    }
}

impl MiniLm {
    /// Loads `model.safetensors`, `config.json` and `tokenizer.json` from `dir`.
    pub fn load(dir: &Path) -> Result<MiniLm, String> {
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()))
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| format!("config.json: {e}"))?;
        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)
            .map_err(|e| format!("tokenizer.json: {e}"))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| format!("tokenizer.json: {e}"))?;
        let device = Device::Cpu;
        let vb =
            VarBuilder::from_buffered_safetensors(read("model.safetensors")?, DType::F32, &device)
                .map_err(|e| format!("model.safetensors: {e}"))?;
        let model = BertModel::load(vb, &config).map_err(|e| format!("model.safetensors: {e}"))?;
        Ok(MiniLm { model, tokenizer, device })
    }

    /// One forward pass over `ids` (each with [CLS] … [SEP]): the embeddings, in order.
    fn batch(&self, ids: &[&[u32]]) -> candle_core::Result<Vec<Embedding>> {
        let len = ids.iter().map(|x| x.len()).max().unwrap_or(0).max(1);
        let mut flat = vec![0u32; ids.len() * len];
        let mut mask = vec![0u32; ids.len() * len];
        for (k, x) in ids.iter().enumerate() {
            flat[k * len..k * len + x.len()].copy_from_slice(x);
            mask[k * len..k * len + x.len()].iter_mut().for_each(|m| *m = 1);
        }
        let input = Tensor::from_vec(flat, (ids.len(), len), &self.device)?;
        let mask_t = Tensor::from_vec(mask, (ids.len(), len), &self.device)?;
        let types = input.zeros_like()?;
        let out = self.model.forward(&input, &types, Some(&mask_t))?.to_vec3::<f32>()?;
        Ok(out
            .into_iter()
            .zip(ids)
            .map(|(rows, x)| {
                let real = &rows[..x.len().min(rows.len())];
                let dim = real.first().map_or(0, Vec::len);
                let mut sentence = vec![0.0f32; dim];
                for r in real {
                    sentence.iter_mut().zip(r).for_each(|(s, v)| *s += v);
                }
                let n = real.len().max(1) as f32;
                sentence.iter_mut().for_each(|s| *s /= n);
                normalize(&mut sentence);
                // Word pieces without [CLS] and [SEP].
                let inner = real.get(1..real.len().saturating_sub(1)).unwrap_or(&[]);
                let mut tokens = Vec::with_capacity(inner.len() * dim);
                for r in inner {
                    let start = tokens.len();
                    tokens.extend_from_slice(r);
                    normalize(&mut tokens[start..]);
                }
                Embedding { sentence, tokens }
            })
            .collect())
    }
}

impl Embed for MiniLm {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, String> {
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                self.tokenizer
                    .encode(*t, true)
                    .map(|e| e.get_ids().to_vec())
                    .map_err(|e| format!("tokenizer: {e}"))
            })
            .collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&k| ids[k].len());
        let mut out: Vec<Option<Embedding>> = vec![None; texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&k| ids[k].as_slice()).collect();
            let embs = self.batch(&batch).map_err(|e| format!("MiniLM: {e}"))?;
            for (&k, e) in chunk.iter().zip(embs) {
                out[k] = Some(e);
            }
        }
        // Every index is in exactly one chunk, so every slot is filled.
        out.into_iter().map(|e| e.ok_or_else(|| "MiniLM: missing output".to_string())).collect()
    }
}
