#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace ordercare {
namespace {

std::optional<std::size_t> invalid_at(const std::string &bytes) { return find_invalid_utf8(bytes); }

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_EQ(invalid_at(""), std::nullopt);
  EXPECT_EQ(invalid_at("plain ASCII"), std::nullopt);
  EXPECT_EQ(invalid_at("Où est ma commande ? ГДЕ ЗАКАЗ 注文 🙂"), std::nullopt);
  // The edges of each length class.
  EXPECT_EQ(invalid_at("\x7f"), std::nullopt);
  EXPECT_EQ(invalid_at("\xc2\x80"), std::nullopt);          // U+0080
  EXPECT_EQ(invalid_at("\xdf\xbf"), std::nullopt);          // U+07FF
  EXPECT_EQ(invalid_at("\xe0\xa0\x80"), std::nullopt);      // U+0800
  EXPECT_EQ(invalid_at("\xed\x9f\xbf"), std::nullopt);      // U+D7FF
  EXPECT_EQ(invalid_at("\xee\x80\x80"), std::nullopt);      // U+E000
  EXPECT_EQ(invalid_at("\xef\xbf\xbf"), std::nullopt);      // U+FFFF
  EXPECT_EQ(invalid_at("\xf0\x90\x80\x80"), std::nullopt);  // U+10000
  EXPECT_EQ(invalid_at("\xf4\x8f\xbf\xbf"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(invalid_at(std::string("a\0b", 3)), std::nullopt);
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_EQ(invalid_at("ab\xc0\xaf"), 2u);              // '/' in two bytes
  EXPECT_EQ(invalid_at("\xc1\xbf"), 0u);
  EXPECT_EQ(invalid_at("x\xe0\x80\xaf"), 1u);           // '/' in three bytes
  EXPECT_EQ(invalid_at("\xe0\x9f\xbf"), 0u);            // U+07FF in three bytes
  EXPECT_EQ(invalid_at("\xf0\x80\x80\xaf"), 0u);        // '/' in four bytes
  EXPECT_EQ(invalid_at("\xf0\x8f\xbf\xbf"), 0u);        // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_EQ(invalid_at("\xed\xa0\x80"), 0u);  // U+D800
  EXPECT_EQ(invalid_at("ok\xed\xbf\xbf"), 2u);  // U+DFFF
  // A CESU-8 pair for U+1F600 is two surrogates, not a character.
  EXPECT_EQ(invalid_at("\xed\xa0\xbd\xed\xb8\x80"), 0u);
}

TEST(Utf8, RejectsCodePointsAboveTheUnicodeRange) {
  EXPECT_EQ(invalid_at("\xf4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(invalid_at("\xf5\x80\x80\x80"), 0u);
  EXPECT_EQ(invalid_at("\xf8\x88\x80\x80\x80"), 0u);  // old 5-byte form
  EXPECT_EQ(invalid_at("\xff"), 0u);
  EXPECT_EQ(invalid_at("\xfe"), 0u);
}

// ASCII is checked a word at a time: a bad byte or a character is found
// wherever it falls against those words, and so is the end of the text.
TEST(Utf8, FindsWhatFollowsAsciiAtEveryOffset) {
  for (std::size_t run = 0; run < 40; ++run) {
    const std::string ascii(run, 'a');
    EXPECT_EQ(invalid_at(ascii), std::nullopt) << run;
    EXPECT_EQ(invalid_at(ascii + "\xff"), run) << run;
    EXPECT_EQ(invalid_at(ascii + "\xff" + ascii), run) << run;
    EXPECT_EQ(invalid_at(ascii + "\xc3"), run) << run;                        // cut short at the end
    EXPECT_EQ(invalid_at(ascii + "\xe2\x82" + ascii + "a"), run) << run;      // cut short by ASCII
    EXPECT_EQ(invalid_at(ascii + "\xc3\xa9" + ascii), std::nullopt) << run;   // é
    EXPECT_EQ(invalid_at(ascii + "\xf0\x9f\x99\x82" + ascii + "\xed\xa0\x80"), 2 * run + 4) << run;
  }
}

TEST(Utf8, RejectsTruncatedSequences) {
  EXPECT_EQ(invalid_at("abc\xc3"), 3u);
  EXPECT_EQ(invalid_at("abc\xe2\x82"), 3u);
  EXPECT_EQ(invalid_at("\xf0\x9f\x99"), 0u);
  // A sequence cut short by the next character.
  EXPECT_EQ(invalid_at("\xe2\x82" "a"), 0u);
  EXPECT_EQ(invalid_at("\xf0\x9f\x99" "a"), 0u);
}

TEST(Utf8, RejectsStrayContinuationBytes) {
  EXPECT_EQ(invalid_at("\x80"), 0u);
  EXPECT_EQ(invalid_at("caf\xc3\xa9\xa9"), 5u);
  EXPECT_EQ(invalid_at("\xbf" "abc"), 0u);
}

TEST(Utf8, ReportsTheFirstBadByte) {
  EXPECT_EQ(invalid_at("\xc3\xa9t\xc3\xa9 \xff and \xfe"), 6u);
}

TEST(Utf8, FoldsAsciiAndLatin) {
  EXPECT_EQ(fold_case("WHERE IS MY ORDER?"), "where is my order?");
  EXPECT_EQ(fold_case("Où Est Ma COMMANDE"), "où est ma commande");
  EXPECT_EQ(fold_case("ÀÉÎÕÜÇÑØÞ"), "àéîõüçñøþ");
  // The multiplication sign sits among the capitals but is not a letter;
  // sharp s has no single-letter capital.
  EXPECT_EQ(fold_case("×ß"), "×ß");
}

TEST(Utf8, FoldsLatinExtendedA) {
  EXPECT_EQ(fold_case("ĀĂĄĆČĎĐĒĚĞĢĪĮĶŁŃŇŊŌŐŒŘŚŞŠŢŤŦŪŮŰŲŴŶ"),
            "āăąćčďđēěğģīįķłńňŋōőœřśşšţťŧūůűųŵŷ");
  // The pairs that start on an odd code point.
  EXPECT_EQ(fold_case("ĹĻĽĿŹŻŽ"), "ĺļľŀźżž");
  // Lower case letters stay, including the ones without an upper pair here.
  EXPECT_EQ(fold_case("āĺžıĸŉſ"), "āĺžıĸŉſ");
  // Y with diaeresis is the capital of ÿ (U+00FF), not of its neighbour Ź.
  EXPECT_EQ(fold_case("Ÿ"), "ÿ");
}

TEST(Utf8, FoldsGreekAndCyrillic) {
  EXPECT_EQ(fold_case("ΠΟΥ ΕΙΝΑΙ Η ΠΑΡΑΓΓΕΛΙΑ"), "που ειναι η παραγγελια");
  EXPECT_EQ(fold_case("ΑΩΪΫ"), "αωϊϋ");
  EXPECT_EQ(fold_case("ГДЕ ЗАКАЗ"), "где заказ");
  EXPECT_EQ(fold_case("АЯЁЂЏ"), "аяёђџ");
}

TEST(Utf8, LeavesOtherScriptsAndSymbolsAlone) {
  EXPECT_EQ(fold_case("注文はどこ 🙂 123 ¿?"), "注文はどこ 🙂 123 ¿?");
  EXPECT_EQ(fold_case(""), "");
}

TEST(Utf8, FoldingKeepsMalformedBytesWithoutEatingNeighbours) {
  // Bytes that are not UTF-8 are copied as they are, and the ASCII after
  // them is still folded, never swallowed into a bogus sequence.
  EXPECT_EQ(fold_case("\x80" "ABC"), "\x80" "abc");
  EXPECT_EQ(fold_case("\xc3" "A"), "\xc3" "a");
  EXPECT_EQ(fold_case("X\xff" "Y"), "x\xff" "y");
  EXPECT_EQ(fold_case("\xe2\x82" "Q"), "\xe2\x82" "q");
  EXPECT_EQ(fold_case("ok\xc3"), "ok\xc3");
}

}  // namespace
}  // namespace ordercare
